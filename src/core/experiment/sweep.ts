/**
 * Sweep files for `npm run experiment`: which models, seeds, data and training budget to run,
 * validated with zod (errors name the field) and expanded into one plan per run. Params in a
 * sweep are strict: a value the app would clamp or replace is an error here, never a silent
 * change, so a results folder always says exactly what ran.
 */
import { z } from 'zod';
import { PARAM_KEYS, PLAYGROUND_MODELS, defaultParams, NOW_SEPARATOR, sanitizeValue, type Params } from '../params';
import { PRESET_NAMES, applyPreset } from '../presets';
import type { PerturbationKind } from '../robustness/attacks';

const MODEL = z.enum(PLAYGROUND_MODELS);
const KINDS = ['noise', 'fgsm', 'pgd'] as const satisfies readonly PerturbationKind[];

const robustnessSchema = z
  .object({
    kinds: z.array(z.enum(KINDS)).min(1).max(3),
    /** Sizes per kind: sigma for noise, eps for the attacks (on the data's own scale). */
    sizes: z.partialRecord(z.enum(KINDS), z.array(z.number().min(0).max(10)).min(1).max(16)),
    pgdSteps: z.int().min(1).max(200).default(10),
    /** How many test examples to attack (the first ones). */
    limit: z.int().min(1).max(100_000).default(1000),
  })
  .strict()
  .refine((r) => r.kinds.every((k) => r.sizes[k] !== undefined), { message: 'every kind listed needs its sizes', path: ['sizes'] });

export const sweepSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ only (it names the results folder)'),
    description: z.string().max(2000).optional(),
    models: z.array(MODEL).min(1).max(PLAYGROUND_MODELS.length),
    seeds: z.array(z.int().min(1).max(1_000_000)).min(1).max(256),
    /** A paper preset (as the link's `preset=`) the params start from; `params` apply on top. */
    preset: z.enum(PRESET_NAMES).optional(),
    /** Playground params shared by every run (model and seed come from the lists above; match defaults to true). */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Training budget: whole epochs (metrics after each) or steps (metrics every evalEvery). */
    epochs: z.int().min(1).max(1000).optional(),
    steps: z.int().min(1).max(10_000_000).optional(),
    evalEvery: z.int().min(1).optional(),
    /** Shape analysis on every hidden layer's arguments instead of the first layer's only. */
    allLayers: z.boolean().default(false),
    robustness: robustnessSchema.optional(),
  })
  .strict()
  .refine((s) => (s.epochs === undefined) !== (s.steps === undefined), { message: 'give exactly one of epochs or steps', path: ['epochs'] })
  .refine((s) => new Set(s.models).size === s.models.length, { message: 'a model is listed twice', path: ['models'] })
  .refine((s) => new Set(s.seeds).size === s.seeds.length, { message: 'a seed is listed twice', path: ['seeds'] });

export type Sweep = z.infer<typeof sweepSchema>;
export type RobustnessPlan = z.infer<typeof robustnessSchema>;

export interface RunPlan {
  /** `<model>-seed<seed>`: the run's file name, stable across shards and reruns. */
  id: string;
  model: Params['model'];
  seed: number;
  params: Params;
}

/** Readable problems, one per line, each naming its field ("params.lr: ..."). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`);
}

/** The sweep's base params, strictly: unknown keys and any value that would be corrected are errors. */
function strictParams(raw: Record<string, unknown>, preset: Sweep['preset']): { params: Params; problems: string[] } {
  // A sweep compares models, so baselines are parameter-matched unless the file says otherwise.
  const start: Params = { ...defaultParams(), match: true };
  const params = preset ? applyPreset(start, preset) : start;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!(PARAM_KEYS as string[]).includes(key)) {
      problems.push(`params.${key}: unknown parameter`);
      continue;
    }
    if (key === 'model' || key === 'seed') {
      problems.push(`params.${key}: set it with the sweep's "${key}s" list`);
      continue;
    }
    const k = key as keyof Params;
    const { value: clean, problem } = sanitizeValue(k, value);
    const integerChanged = typeof value === 'number' && clean !== value;
    // A sweep file is refused, not corrected: the problem without what a link would have made of it.
    if (problem || integerChanged)
      problems.push(`params.${key}: ${problem?.split(NOW_SEPARATOR)[0] ?? `must be a whole number (got ${String(value)})`}`);
    else (params as unknown as Record<string, unknown>)[k] = clean;
  }
  if (params.dataset === 'custom') problems.push('params.dataset: sweeps run generated or image data (custom points need the page)');
  return { params, problems };
}

/** Parses a sweep file's JSON text; never throws. */
export function parseSweep(text: string): { ok: true; sweep: Sweep; base: Params } | { ok: false; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`(file): not valid JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  const parsed = sweepSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error) };
  const { params, problems } = strictParams(parsed.data.params, parsed.data.preset);
  if (problems.length > 0) return { ok: false, errors: problems };
  return { ok: true, sweep: parsed.data, base: params };
}

/** One plan per model x seed, sorted by id (the order every shard agrees on). */
export function expandSweep(sweep: Sweep, base: Params): RunPlan[] {
  const plans = sweep.models.flatMap((model) =>
    sweep.seeds.map((seed) => ({ id: `${model}-seed${seed}`, model, seed, params: { ...structuredClone(base), model, seed } })),
  );
  return plans.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The deterministic subset of shard `index` of `count` (every count-th plan). */
export function shardPlans<T>(plans: readonly T[], index: number, count: number): T[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a whole number >= 1 (got ${count})`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`shard index must be in 0..${count - 1} (got ${index})`);
  return plans.filter((_, i) => i % count === index);
}
