/**
 * The structure of a comparison file (compareFile.ts), as one zod schema that is both the
 * writer's type (z.input: a number JSON cannot hold is written as null) and the reader's check
 * (z.output: null read back as NaN). Every array and count is bounded, so a hostile file cannot
 * make the page allocate without limit; the checks that relate fields to each other (array
 * lengths against grid sizes, runs against the plan) are in compareFile.ts, where their
 * messages can name the run.
 */
import { z } from 'zod';
import { COMPARE_MODELS, MAX_COMPARE_MODELS, MAX_COMPARE_SEEDS, PARAM_SPECS } from '../core/params';
import type { RunStatus } from '../worker/protocol';

export const COMPARE_FILE_FORMAT = 'soft-xor-comparison';
export const COMPARE_FILE_VERSION = 1;
/** At most 4 models x 8 seeds. */
export const MAX_COMPARE_RUNS = MAX_COMPARE_MODELS * MAX_COMPARE_SEEDS;
/** Metric points per run (the worker keeps about 1000) and verdicts in a run's history strip. */
export const MAX_FILE_HISTORY = 5000;
/** Points per side of a grid read-out (the argument grid has 64). */
export const MAX_FILE_GRID = 256;
/** Points of a one-argument curve (the worker samples 121). */
export const MAX_FILE_CURVE = 4096;
/** Robustness curves per run, and perturbation sizes per curve. */
export const MAX_FILE_CURVES = 16;
export const MAX_FILE_SIZES = 64;
/** Beyond this a value would not survive the float32 arrays the page draws from. */
const MAX_MAGNITUDE = 1e30;

const RUN_STATUSES = ['building', 'ready', 'running', 'paused', 'diverged', 'error', 'nodata'] as const satisfies readonly RunStatus[];

/** A finite number (zod 4's number rejects infinities; JSON has no NaN). */
const finite = z.number().min(-MAX_MAGNITUDE).max(MAX_MAGNITUDE);
/** A number that may be NaN in the app: written as null, read back as NaN. */
const maybe = finite.nullable().transform((v) => v ?? NaN);
const count = z.number().int().min(0).max(1e9);
const step = z.number().int().min(0).max(1e12);
const seed = z.number().int().min(PARAM_SPECS.seed.min).max(PARAM_SPECS.seed.max);
const model = z.enum(COMPARE_MODELS);
const shapeVerdict = z.enum(['soft-xor', 'soft-xnor', 'not-saddle']);
const uncertainVerdict = z.enum(['soft-xor', 'soft-xnor', 'not-saddle', 'undecided']);
const interval = z.strictObject({ lo: maybe, hi: maybe });

const gridSpec = z.strictObject({ min: finite, max: finite, size: z.number().int().min(2).max(MAX_FILE_GRID) });
/** A read-out on a grid: size * size row-major values (checked in compareFile.ts). */
const gridField = z.strictObject({ grid: gridSpec, values: z.array(finite).max(MAX_FILE_GRID * MAX_FILE_GRID) });

/** The metric history, one array per column (one line each in the file; pandas reads it as a table). */
const history = z.strictObject({
  step: z.array(step).max(MAX_FILE_HISTORY),
  epoch: z.array(finite.min(0)).max(MAX_FILE_HISTORY),
  trainLoss: z.array(maybe).max(MAX_FILE_HISTORY),
  testLoss: z.array(maybe).max(MAX_FILE_HISTORY),
  trainAcc: z
    .array(
      finite
        .min(0)
        .max(1)
        .nullable()
        .transform((v) => v ?? NaN),
    )
    .max(MAX_FILE_HISTORY),
  testAcc: z
    .array(
      finite
        .min(0)
        .max(1)
        .nullable()
        .transform((v) => v ?? NaN),
    )
    .max(MAX_FILE_HISTORY),
});

/** core's ShapeAnalysis, plus the relative determinant for readers of the file (recomputed, not read). */
const analysis = z.strictObject({
  fit: z.strictObject({ c: z.array(maybe).length(6), cosine: maybe, mse: maybe, n: maybe }),
  hessianDet: maybe,
  relativeDet: maybe,
  verdict: shapeVerdict,
  centre: z.array(maybe).length(2),
  radius: maybe,
  spectrum: z.array(maybe).length(4),
  maskArea: maybe,
});

const bootstrap = z.strictObject({
  verdict: uncertainVerdict,
  relativeDet: interval,
  hessianDet: interval,
  resamples: count,
  step,
});

/** One robustness curve of a run: accuracy at each perturbation size, or the run diverged. */
export const robustnessCurveSchema = z.strictObject({
  kind: z.enum(['noise', 'fgsm', 'pgd']),
  sizes: z.array(finite.min(0)).max(MAX_FILE_SIZES),
  /** Null when the model diverged (its outputs are not numbers, so there is no curve). */
  accuracy: z.array(finite.min(0).max(1)).max(MAX_FILE_SIZES).nullable(),
  examples: count,
  diverged: z.boolean(),
  reason: z.string().max(500).nullable(),
});

export const compareFileRunSchema = z.strictObject({
  runId: z.string().max(64),
  model,
  seed,
  seedIndex: z
    .number()
    .int()
    .min(0)
    .max(MAX_COMPARE_SEEDS - 1),
  step,
  diverged: z.boolean(),
  status: z.enum(RUN_STATUSES),
  message: z.string().max(2000).nullable(),
  paramTotal: count.nullable(),
  hidden: z.array(z.number().int().min(1).max(4096)).max(16),
  history,
  analysis: analysis.nullable(),
  analysisInit: analysis.nullable(),
  bootstrap: bootstrap.nullable(),
  verdictHistory: z.array(z.strictObject({ step, verdict: uncertainVerdict })).max(MAX_FILE_HISTORY),
  g: gridField.nullable(),
  gInit: gridField.nullable(),
  /** The pooled argument density on g's grid (its 90% mask is recomputed on reading). */
  density: gridField.nullable(),
  g1d: z.strictObject({ xs: z.array(finite).max(MAX_FILE_CURVE), ys: z.array(finite).max(MAX_FILE_CURVE) }).nullable(),
  robustness: z.array(robustnessCurveSchema).max(MAX_FILE_CURVES).optional(),
});

const planEntry = z.strictObject({
  runId: z.string().max(64),
  model,
  seed,
  seedIndex: z
    .number()
    .int()
    .min(0)
    .max(MAX_COMPARE_SEEDS - 1),
  dataSeed: seed,
});

const meanSd = z.strictObject({ mean: maybe, sd: maybe, n: count });
const rate = z.strictObject({ k: count, n: count, rate: maybe, lo: maybe, hi: maybe });

/** core/compare/summary.ts's CompareSummary. */
export const compareSummarySchema = z.strictObject({
  targetAccuracy: finite.min(0).max(1),
  models: z
    .array(
      z.strictObject({
        model,
        runs: count,
        diverged: count,
        step,
        paramTotal: count.nullable(),
        hidden: z.array(z.number().int().min(1).max(4096)).max(16),
        testAcc: meanSd,
        trainLoss: meanSd,
        testLoss: meanSd,
        stepsToTarget: meanSd,
        reachedTarget: count,
        saddle: z
          .strictObject({
            learned: rate,
            initial: rate,
            learnedXor: count,
            learnedXnor: count,
            bootstrap: z.strictObject({ saddle: count, notSaddle: count, undecided: count, pending: count }),
            quadrupoleRatio: maybe,
            quadrupoleRatioInitial: maybe,
          })
          .nullable(),
      }),
    )
    .max(MAX_COMPARE_MODELS),
});

/** A plain JSON object (judged key by key by the parameter schema, never merged into another object). */
const plainObject = z.custom<Record<string, unknown>>((v) => !!v && typeof v === 'object' && !Array.isArray(v), 'expected an object');

export const compareFileSchema = z.strictObject({
  format: z.literal(COMPARE_FILE_FORMAT),
  version: z.literal(COMPARE_FILE_VERSION),
  app: z.string().max(200).optional(),
  createdAt: z.string().max(64).optional(),
  link: z.string().max(8192).optional(),
  /** The base params (compare and seeds included); each run's params follow from them (comparePlan). */
  params: plainObject,
  plan: z.array(planEntry).max(MAX_COMPARE_RUNS),
  runs: z.array(compareFileRunSchema).max(MAX_COMPARE_RUNS),
  summary: compareSummarySchema,
});

/** A run as written (numbers JSON cannot hold are null). */
export type CompareFileRun = z.input<typeof compareFileRunSchema>;
/** A run as read back (null numbers are NaN again). */
export type ParsedCompareFileRun = z.output<typeof compareFileRunSchema>;
export type CompareFileRobustness = z.infer<typeof robustnessCurveSchema>;
export type CompareFileSummary = z.input<typeof compareSummarySchema>;
export type ParsedCompareFile = z.output<typeof compareFileSchema>;
