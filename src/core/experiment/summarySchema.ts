/**
 * Reading a summary.json that a user opens on the Experiments page: at most 20 MB, valid JSON,
 * and exactly the shape the report writes (zod, strict objects: unknown keys such as
 * "__proto__" are refused, every array bounded, every number a number or null for NaN).
 * Never throws; errors name the field, and nothing is applied unless the whole file is valid.
 */
import { z } from 'zod';
import { describeIssues } from './sweep';
import { SUMMARY_FORMAT, type SummaryFile } from './summaryFile';

export const SUMMARY_MAX_BYTES = 20 * 1024 * 1024;

const num = z
  .number()
  .or(z.null())
  .transform((v) => (v === null ? NaN : v));
const count = z.int().min(0).max(1_000_000);
const text = (max: number) => z.string().max(max);
const meanSd = z.object({ mean: num, sd: num, n: count }).strict();
const band = z.array(z.object({ step: count.max(1e9), mean: num, sd: num, n: count }).strict()).max(10_000);
const rate = z.object({ k: count, n: count, rate: num, lo: num, hi: num }).strict();
const model = z
  .object({
    model: text(32),
    runs: count,
    hidden: z.array(count).max(16),
    paramCount: count.max(1e9),
    finalTestAcc: meanSd,
    bestTestAcc: meanSd,
    testAccByStep: band,
    testLossByStep: band,
    saddle: z
      .object({
        learned: rate,
        initial: rate,
        learnedXor: count,
        learnedXnor: count,
        quadrupoleRatioLearned: num,
        quadrupoleRatioInitial: num,
      })
      .strict()
      .nullable(),
    robustness: z
      .array(
        z
          .object({
            kind: z.enum(['noise', 'fgsm', 'pgd']),
            sizes: z.array(num).max(64),
            accuracy: z.array(meanSd).max(64),
            diverged: count,
          })
          .strict(),
      )
      .max(3),
  })
  .strict();
const claim = z
  .object({
    claim: text(400),
    paper: text(400),
    measured: text(400),
    verdict: z.enum(['reproduced', 'not reproduced', 'inconclusive', 'not measured']),
  })
  .strict();
const run = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    model: text(32),
    seed: z.int(),
    finalTestAcc: num,
    verdictInitial: z.enum(['soft-xor', 'soft-xnor', 'not-saddle']).nullable(),
    verdictBest: z.enum(['soft-xor', 'soft-xnor', 'not-saddle']).nullable(),
    hessianDetBest: num.nullable(),
    inner: z.array(z.int().min(1).max(256)).min(1).max(3),
    innerAct: z.enum(['relu', 'tanh', 'sigmoid', 'elu']),
    gWeights: z.array(z.array(num).max(100_000)).max(8).nullable(),
  })
  .strict();

const summaryFileSchema = z
  .object({
    format: z.literal(SUMMARY_FORMAT),
    version: z.literal(1),
    sweep: text(64),
    command: text(500),
    summary: z.object({ sweep: text(64), runs: count, models: z.array(model).max(8), claims: z.array(claim).max(32) }).strict(),
    runs: z.array(run).max(2048),
  })
  .strict();

export function parseSummaryFile(textIn: string): { ok: true; file: SummaryFile } | { ok: false; errors: string[] } {
  if (textIn.length > SUMMARY_MAX_BYTES) return { ok: false, errors: [`the file is larger than ${SUMMARY_MAX_BYTES / 1024 / 1024} MB`] };
  let raw: unknown;
  try {
    raw = JSON.parse(textIn);
  } catch (e) {
    return { ok: false, errors: [`not valid JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  const parsed = summaryFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error).slice(0, 20) };
  return { ok: true, file: parsed.data satisfies SummaryFile };
}
