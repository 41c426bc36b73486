/**
 * The run file: a whole run as JSON (configuration, seed, metrics, g's weights, shape analysis),
 * and the validation that reads one back. Pure (no DOM, no tensors), so it is tested in Node.
 *
 * Reading treats the file as hostile: its size is checked before parsing, its structure by a
 * zod schema, its params by the ONE parameter schema (src/core/params.ts) with no correction
 * allowed, and g's weights against the shapes those params imply. The result is either a
 * complete, valid run or a list of clear errors; nothing is ever half-applied.
 * Over 300 lines because the schema, the strict params check and the weight-shape check are
 * one validation that must agree with the writer in this file; split, they would drift apart.
 */
import { z } from 'zod';
import type { ShapeAnalysis } from '../core/analysis/shape';
import { errorMessage } from '../core/errorMessage';
import { NOW_SEPARATOR, PARAM_KEYS, PARAM_SPECS, sanitizeValue, type Params } from '../core/params';
import type { MetricPoint } from '../worker/protocol';

export const RUN_FILE_FORMAT = 'soft-xor-run';
export const RUN_FILE_VERSION = 1;
/** Files larger than this are refused before they are read. */
export const RUN_FILE_MAX_BYTES = 5 * 1024 * 1024;
/** At most this many errors are listed; the rest are counted. */
const MAX_LISTED_ERRORS = 12;
/** Weights beyond this magnitude are not from a healthy run (the worker stops far earlier). */
export const MAX_WEIGHT_MAGNITUDE = 1e6;

/** The layout of g's weights a set of params implies: one [W, b] pair per layer of g, per copy of g. */
export interface GLayout {
  inputs: 1 | 2;
  hidden: number[];
  activation: Params['innerAct'];
  /** 1 when one g is shared by every layer; else one g per hidden layer. */
  copies: number;
  /** The length of every weight array, in the worker's order (copy by copy: W0, b0, W1, b1, ...). */
  lengths: number[];
}

export interface RunFileG {
  config: { inputs: 1 | 2; hidden: number[]; activation: Params['innerAct']; copies: number };
  weights: number[][];
}

export interface RunFile {
  format: typeof RUN_FILE_FORMAT;
  version: typeof RUN_FILE_VERSION;
  app: string;
  createdAt: string;
  /** The link of the run's configuration (for reading; import uses `params`). */
  link: string;
  params: Params;
  step: number;
  epoch: number;
  session: 2 | 3;
  backend: string;
  metrics: MetricPoint[];
  analysis: ShapeAnalysis | null;
  g: RunFileG | null;
}

/** The g the network built from these params has, or null (fixed activations, no hidden layer). */
export function gLayout(p: Params): GLayout | null {
  if ((p.model !== 'twoArg' && p.model !== 'oneArg') || p.hidden.length === 0) return null;
  const inputs = p.model === 'twoArg' ? 2 : 1;
  const copies = p.innerShared ? 1 : p.hidden.length;
  const sizes = [inputs, ...p.inner, 1];
  const one: number[] = [];
  for (let k = 0; k + 1 < sizes.length; k++) one.push(sizes[k] * sizes[k + 1], sizes[k + 1]);
  const lengths = Array.from({ length: copies }, () => one).flat();
  return { inputs, hidden: [...p.inner], activation: p.innerAct, copies, lengths };
}

/** Shortest decimal that reads back to the same float32 (9 significant digits always do). */
function float32Number(x: number): number {
  return Number(Math.fround(x).toPrecision(9));
}

/** Finite numbers as they are; NaN and infinities (which JSON cannot hold) as null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** What the run file is built from: its fields as the worker reported them, g as raw weights. */
export interface RunFileInput extends Pick<RunFile, 'params' | 'link' | 'step' | 'epoch' | 'session' | 'backend' | 'metrics' | 'analysis'> {
  /** g's weights in the worker's order, or null when the model has no g. */
  gWeights: ArrayLike<number>[] | null;
  createdAt?: Date;
}

/** Assembles the run file from what the worker reported. */
export function buildRunFile(input: RunFileInput): RunFile {
  const layout = gLayout(input.params);
  const g: RunFileG | null =
    layout && input.gWeights
      ? {
          config: { inputs: layout.inputs, hidden: layout.hidden, activation: layout.activation, copies: layout.copies },
          weights: input.gWeights.map((w) => Array.from(w, float32Number)),
        }
      : null;
  return {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    app: 'Soft-XOR Playground',
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    link: input.link,
    params: structuredClone(input.params),
    step: input.step,
    epoch: input.epoch,
    session: input.session,
    backend: input.backend,
    metrics: input.metrics.map((m) => ({
      step: m.step,
      epoch: m.epoch,
      trainLoss: finiteOrNull(m.trainLoss),
      testLoss: finiteOrNull(m.testLoss),
      trainAcc: finiteOrNull(m.trainAcc),
      testAcc: finiteOrNull(m.testAcc),
    })) as MetricPoint[],
    analysis: input.analysis,
    g,
  };
}

/** JSON text of a run file: readable, with every number array on one line. */
export function serializeRunFile(file: RunFile): string {
  return JSON.stringify(file, null, 2).replace(/\[\s+([-+\d.eE,\s]+?)\s+\]/g, (_, body: string) => `[${body.replace(/\s+/g, '')}]`);
}

// ---------- reading ----------

const num = z.number();
const nullableNum = z.number().nullable();

const metricSchema = z.object({
  step: num.int().min(0),
  epoch: num.min(0),
  trainLoss: nullableNum,
  testLoss: nullableNum,
  trainAcc: nullableNum,
  testAcc: nullableNum,
});

const analysisSchema = z.object({
  fit: z.object({ c: z.array(nullableNum).length(6), cosine: nullableNum, mse: nullableNum, n: nullableNum }),
  hessianDet: nullableNum,
  verdict: z.enum(['soft-xor', 'soft-xnor', 'not-saddle']),
  centre: z.array(nullableNum).length(2),
  radius: nullableNum,
  spectrum: z.array(nullableNum).max(16),
  maskArea: nullableNum,
});

const gSchema = z.object({
  config: z.object({
    inputs: z.union([z.literal(1), z.literal(2)]),
    hidden: z.array(num.int()).max(64),
    activation: z.string().max(20),
    copies: num.int().min(1).max(1024),
  }),
  // Generous structural caps; the exact shapes are checked against the params below.
  weights: z.array(z.array(num.min(-MAX_WEIGHT_MAGNITUDE).max(MAX_WEIGHT_MAGNITUDE)).max(1 << 20)).max(4096),
});

/** A plain JSON object (its own keys are read one by one, never merged into another object). */
const plainObject = z.custom<Record<string, unknown>>((v) => !!v && typeof v === 'object' && !Array.isArray(v), 'expected an object');

const fileSchema = z.object({
  format: z.literal(RUN_FILE_FORMAT),
  version: z.number(),
  app: z.string().max(200).optional(),
  createdAt: z.string().max(64).optional(),
  link: z.string().max(8192).optional(),
  // Judged below by the parameter schema itself.
  params: plainObject,
  step: num.int().min(0).max(1e12),
  epoch: num.min(0).max(1e12),
  session: z.union([z.literal(2), z.literal(3)]),
  backend: z.string().max(20).optional(),
  metrics: z.array(metricSchema).max(5000),
  analysis: analysisSchema.nullable(),
  g: gSchema.nullable(),
});

export type ReadResult = { ok: true; file: RunFile } | { ok: false; errors: string[] };

/** A value from the file, quoted and cut short, safe to show as text (also used by the comparison file). */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return typeof value === 'string' ? JSON.stringify(short) : short;
}

export function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? 'file'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');
}

export function limited(errors: string[]): string[] {
  if (errors.length <= MAX_LISTED_ERRORS) return errors;
  return [...errors.slice(0, MAX_LISTED_ERRORS), `and ${errors.length - MAX_LISTED_ERRORS} more`];
}

/** Params from a file: every key known, every value valid as it stands (nothing clamped or replaced). */
export function readParams(raw: Record<string, unknown>, errors: string[]): Params | null {
  const params = {} as Record<string, unknown>;
  const known = new Set<string>(PARAM_KEYS);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push(`params: unknown setting ${quote(key)}`);
  }
  for (const key of PARAM_KEYS) {
    if (!Object.prototype.hasOwnProperty.call(raw, key)) {
      // Older files may lack a newer setting: it takes its default.
      const d = PARAM_SPECS[key].default;
      params[key] = structuredClone(d);
      continue;
    }
    const { value, problem } = sanitizeValue(key, raw[key]);
    // A file is refused, not corrected: the problem without what a link would have made of it.
    if (problem) errors.push(`params.${key} (${PARAM_SPECS[key].label}): ${problem.split(NOW_SEPARATOR)[0]}`);
    params[key] = value;
  }
  return errors.length > 0 ? null : (params as unknown as Params);
}

function checkG(params: Params, g: z.infer<typeof gSchema> | null, errors: string[]): void {
  const layout = gLayout(params);
  if (!layout) {
    if (g)
      errors.push(
        `g: this configuration (model ${params.model}, ${params.hidden.length} hidden layers) has no learned g, but the file has one`,
      );
    return;
  }
  if (!g) {
    errors.push(`g: missing; a ${params.model} model needs g's weights`);
    return;
  }
  const c = g.config;
  if (
    c.inputs !== layout.inputs ||
    c.copies !== layout.copies ||
    c.activation !== layout.activation ||
    JSON.stringify(c.hidden) !== JSON.stringify(layout.hidden)
  ) {
    errors.push(
      `g.config: does not match the params (expected inputs ${layout.inputs}, hidden ${layout.hidden.join(',')}, activation ${layout.activation}, copies ${layout.copies})`,
    );
    return;
  }
  if (g.weights.length !== layout.lengths.length) {
    errors.push(`g.weights: expected ${layout.lengths.length} arrays, found ${g.weights.length}`);
    return;
  }
  g.weights.forEach((w, i) => {
    if (w.length !== layout.lengths[i]) errors.push(`g.weights[${i}]: expected ${layout.lengths[i]} numbers, found ${w.length}`);
  });
}

/**
 * Reads a run file's text. `byteSize` (the file's size, when known) is checked first, so a huge
 * file is refused without reading it; the text length is checked again before parsing.
 */
export function readRunFile(text: string, byteSize?: number): ReadResult {
  const limitText = `${(RUN_FILE_MAX_BYTES / (1024 * 1024)).toFixed(0)} MB`;
  if ((byteSize ?? 0) > RUN_FILE_MAX_BYTES || typeof text !== 'string' || text.length > RUN_FILE_MAX_BYTES) {
    return { ok: false, errors: [`The file is larger than ${limitText}; a run file of this app is far smaller.`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const detail = errorMessage(e).slice(0, 120);
    return { ok: false, errors: [`Not JSON: ${detail}`] };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: ['Not a run file: expected a JSON object.'] };
  }
  const head = data as Record<string, unknown>;
  if (head.format !== RUN_FILE_FORMAT) {
    return { ok: false, errors: [`Not a run file of this app: "format" is ${quote(head.format)}, expected "${RUN_FILE_FORMAT}".`] };
  }
  if (head.version !== RUN_FILE_VERSION) {
    return { ok: false, errors: [`Unsupported run file version ${quote(head.version)}; this app reads version ${RUN_FILE_VERSION}.`] };
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, errors: limited(parsed.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`)) };
  }
  const errors: string[] = [];
  // The params object exactly as JSON.parse made it (own keys only, "__proto__" included as a key).
  const params = readParams(head.params as Record<string, unknown>, errors);
  if (params) checkG(params, parsed.data.g, errors);
  if (!params || errors.length > 0) return { ok: false, errors: limited(errors) };
  const d = parsed.data;
  return {
    ok: true,
    file: {
      format: RUN_FILE_FORMAT,
      version: RUN_FILE_VERSION,
      app: d.app ?? '',
      createdAt: d.createdAt ?? '',
      link: d.link ?? '',
      params,
      step: d.step,
      epoch: d.epoch,
      session: d.session,
      backend: d.backend ?? '',
      metrics: d.metrics as MetricPoint[],
      analysis: d.analysis as ShapeAnalysis | null,
      g: d.g ? { config: { ...d.g.config, activation: params.innerAct }, weights: d.g.weights } : null,
    },
  };
}

/**
 * Why a valid run file cannot be applied on this page, or null: a run on the user's own data
 * whose points are neither in the file (too many for a link) nor on the page needs its CSV
 * first (applied without them, the run would have no data and lose the file's g).
 */
export function pointsMissingFor(file: RunFile, pagePointCount: number): string | null {
  if (file.params.dataset !== 'custom' || file.params.points !== '' || pagePointCount > 0) return null;
  return 'This run was trained on your own data set, whose points are not in the file (too many for a link) and not on this page: upload its CSV first (Upload CSV under the data set), then import the run file again.';
}
