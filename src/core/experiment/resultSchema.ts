/**
 * zod schemas for what the experiment runner writes: one run's result file and a sweep's
 * summary. Every file read back (merge, report, the app's Experiments page) is checked against
 * them first, so a truncated, hand-edited or hostile file is refused with reasons.
 */
import { z } from 'zod';
import { sanitizeParams } from '../params';

const num = z
  .number()
  .or(z.null())
  .transform((v) => (v === null ? NaN : v)); // NaN is written as null in JSON
const metrics = z
  .object({ epoch: z.int().min(0), step: z.int().min(0), trainLoss: num, testLoss: num, trainAcc: num, testAcc: num })
  .strict();
const spectrum = z.object({ radius: num, power: z.array(num).max(8) }).strict();
const shape = z
  .object({
    step: z.int().min(0),
    verdict: z.enum(['soft-xor', 'soft-xnor', 'not-saddle']),
    hessianDet: num,
    coefficients: z.array(num).length(6),
    cosine: num,
    mse: num,
    maskArea: num,
    spectra: z.array(spectrum).max(8),
  })
  .strict();
const curve = z
  .object({ kind: z.enum(['noise', 'fgsm', 'pgd']), sizes: z.array(num).max(64), accuracy: z.array(num).max(64), examples: z.int().min(0) })
  .strict();
const robustness = z
  .object({
    kind: z.enum(['noise', 'fgsm', 'pgd']),
    result: z.union([
      z.object({ diverged: z.literal(false), curve }).strict(),
      z.object({ diverged: z.literal(true), reason: z.string().max(500) }).strict(),
    ]),
  })
  .strict();

export const runResultSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
    sweep: z.string().max(64),
    model: z.enum(['twoArg', 'oneArg', 'relu', 'tanh', 'sigmoid']),
    seed: z.int(),
    // The run's playground params, strictly: a value the app would have to correct is refused.
    params: z.record(z.string(), z.unknown()).transform((raw, ctx) => {
      const { params, corrections } = sanitizeParams(raw);
      for (const c of corrections) ctx.addIssue({ code: 'custom', message: `${c.key}: ${c.problem}`, path: [c.key] });
      return params;
    }),
    hidden: z.array(z.int().min(0)).max(16),
    paramCount: z.int().min(0),
    metrics: z.array(metrics).min(1).max(100_000),
    best: z.int().min(0),
    shapeInitial: shape.nullable(),
    shapeBest: shape.nullable(),
    gWeights: z.array(z.array(num).max(1_000_000)).max(16).nullable(),
    robustness: z.array(robustness).max(3),
  })
  .strict()
  .refine((r) => r.best < r.metrics.length, { message: 'best must index a metrics entry', path: ['best'] });

export type RunResultFile = z.infer<typeof runResultSchema>;

/** JSON with NaN and infinities written as null (JSON has no NaN); read back as NaN by the schemas. */
export function stringifyResult(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
