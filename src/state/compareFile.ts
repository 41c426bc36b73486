/**
 * The comparison file: a whole comparison as JSON (the base params, the plan, every run's
 * metrics, read-outs of g, verdicts and robustness curves, and the summary table), and the
 * validation that reads one back into the page's run records, so an imported comparison is
 * shown again without retraining. Pure (no DOM, no tensors), tested in Node.
 *
 * The summary in the file is computed from the run records exactly as they will read back
 * (numbers JSON cannot hold become NaN), so importing a file and summarising its runs gives
 * the file's table to the last bit. Reading treats the file as hostile, like a run file
 * (runFile.ts): size first, then structure (compareFileSchema.ts), then the params by the one
 * parameter schema with nothing corrected, then every relation between fields.
 * The CSV tables of a comparison are in compareCsv.ts. Over 300 lines because the writer and
 * the reader must agree field by field (the reader's conversion is the writer's summary input);
 * split, they would drift apart.
 */
import { massMask } from '../core/analysis/density';
import { relativeDet, type ShapeAnalysis } from '../core/analysis/shape';
import { comparePlan, type CompareModel } from '../core/compare/plan';
import { DEFAULT_TARGET_ACCURACY, summariseCompare, type CompareSummary } from '../core/compare/summary';
import { errorMessage } from '../core/errorMessage';
import type { Params } from '../core/params';
import type { PerturbationKind, RobustnessResult } from '../core/robustness/attacks';
import type { MetricPoint, RunStatus } from '../worker/protocol';
import type { CompareRunView, CompareState } from './compareTypes';
import {
  COMPARE_FILE_FORMAT,
  COMPARE_FILE_VERSION,
  compareFileSchema,
  type CompareFileRobustness,
  type CompareFileRun,
  type CompareFileSummary,
  type ParsedCompareFileRun,
} from './compareFileSchema';
import { limited, pathText, quote, readParams } from './runFile';

export { COMPARE_FILE_FORMAT, COMPARE_FILE_VERSION, type CompareFileRobustness, type CompareFileRun };

/** Files larger than this are refused before they are read (32 runs with full read-outs take about 9 MB). */
export const COMPARE_FILE_MAX_BYTES = 20 * 1024 * 1024;

export interface ComparisonFile {
  format: typeof COMPARE_FILE_FORMAT;
  version: typeof COMPARE_FILE_VERSION;
  app: string;
  createdAt: string;
  /** The link of the comparison (for reading; import uses `params`). */
  link: string;
  params: Params;
  plan: { runId: string; model: CompareModel; seed: number; seedIndex: number; dataSeed: number }[];
  runs: CompareFileRun[];
  summary: CompareFileSummary;
}

export interface ComparisonInput {
  /** The base params (the page's params in compare mode: compare and seeds set). */
  params: Params;
  state: Pick<CompareState, 'plans' | 'runs'>;
  /** Robustness curves by run id, where computed (see robustnessRecord). */
  robustness?: Readonly<Record<string, readonly CompareFileRobustness[]>>;
  link?: string;
  createdAt?: Date;
  targetAccuracy?: number;
}

// ---------- writing ----------

/** Shortest decimal that reads back to the same float32 (9 significant digits always do). */
function float32Number(x: number): number {
  return Number(Math.fround(x).toPrecision(9));
}

function orNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** A grid read-out, or null when it holds a non-number (a diverged run): the file holds finite values only. */
function fieldRecord(grid: { min: number; max: number; size: number }, values: ArrayLike<number>) {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return null;
    out[i] = float32Number(values[i]);
  }
  return { grid: { min: grid.min, max: grid.max, size: grid.size }, values: out };
}

function analysisRecord(a: ShapeAnalysis | null): CompareFileRun['analysis'] {
  if (!a) return null;
  return {
    fit: { c: a.fit.c.map(orNull), cosine: orNull(a.fit.cosine), mse: orNull(a.fit.mse), n: orNull(a.fit.n) },
    hessianDet: orNull(a.hessianDet),
    relativeDet: orNull(relativeDet(a.fit.c)),
    verdict: a.verdict,
    centre: a.centre.map(orNull),
    radius: orNull(a.radius),
    spectrum: a.spectrum.map(orNull),
    maskArea: orNull(a.maskArea),
  };
}

function historyRecord(h: readonly MetricPoint[]): CompareFileRun['history'] {
  return {
    step: h.map((p) => p.step),
    epoch: h.map((p) => p.epoch),
    trainLoss: h.map((p) => orNull(p.trainLoss)),
    testLoss: h.map((p) => orNull(p.testLoss)),
    trainAcc: h.map((p) => orNull(p.trainAcc)),
    testAcc: h.map((p) => orNull(p.testAcc)),
  };
}

function curveOrNull(c: CompareRunView['g1d']): CompareFileRun['g1d'] {
  if (!c || c.xs.length !== c.ys.length) return null;
  const xs = fieldRecord({ min: 0, max: 0, size: 0 }, c.xs);
  const ys = fieldRecord({ min: 0, max: 0, size: 0 }, c.ys);
  return xs && ys ? { xs: xs.values, ys: ys.values } : null;
}

function runRecord(view: CompareRunView, robustness: readonly CompareFileRobustness[] | undefined): CompareFileRun {
  const b = view.bootstrap;
  return {
    runId: view.runId,
    model: view.model,
    seed: view.seed,
    seedIndex: view.seedIndex,
    step: view.step,
    diverged: view.diverged,
    status: view.status,
    message: view.message,
    paramTotal: view.paramTotal,
    hidden: [...view.hidden],
    history: historyRecord(view.history),
    analysis: analysisRecord(view.analysis),
    analysisInit: analysisRecord(view.analysisInit),
    bootstrap: b
      ? {
          verdict: b.verdict,
          relativeDet: { lo: orNull(b.relativeDet.lo), hi: orNull(b.relativeDet.hi) },
          hessianDet: { lo: orNull(b.hessianDet.lo), hi: orNull(b.hessianDet.hi) },
          resamples: b.resamples,
          step: b.step,
        }
      : null,
    verdictHistory: view.verdictHistory.map((v) => ({ step: v.step, verdict: v.verdict })),
    g: view.g ? fieldRecord(view.g.grid, view.g.values) : null,
    gInit: view.gInit ? fieldRecord(view.gInit.grid, view.gInit.values) : null,
    density: view.density ? fieldRecord(view.density.grid, view.density.all) : null,
    g1d: curveOrNull(view.g1d),
    ...(robustness && robustness.length > 0 ? { robustness: robustness.map((c) => structuredClone(c)) } : {}),
  };
}

/** A plan's run that has no record yet (the pool has not reported it): written as not yet built. */
function emptyView(plan: CompareState['plans'][number]): CompareRunView {
  return {
    runId: plan.runId,
    model: plan.model,
    seed: plan.seed,
    seedIndex: plan.seedIndex,
    step: 0,
    diverged: false,
    status: 'building',
    message: null,
    paramTotal: null,
    hidden: [],
    history: [],
    analysis: null,
    analysisInit: null,
    bootstrap: null,
    verdictHistory: [],
    g: null,
    gInit: null,
    g1d: null,
    density: null,
    progress: null,
  };
}

/** One robustness curve for the file, from what core/robustness computed. */
export function robustnessRecord(kind: PerturbationKind, sizes: readonly number[], result: RobustnessResult): CompareFileRobustness {
  if (result.diverged) return { kind, sizes: [...sizes], accuracy: null, examples: 0, diverged: true, reason: result.reason.slice(0, 500) };
  const c = result.curve;
  return { kind: c.kind, sizes: [...c.sizes], accuracy: [...c.accuracy], examples: c.examples, diverged: false, reason: null };
}

/** Assembles the file from the page's compare state. The runs are written in the plan's order. */
export function buildComparisonFile(input: ComparisonInput): ComparisonFile {
  const { params, state } = input;
  const runs = state.plans.map((p) => runRecord(state.runs[p.runId] ?? emptyView(p), input.robustness?.[p.runId]));
  const order = params.compare as CompareModel[];
  // From the records as they read back, so an import reproduces this table exactly.
  const summary = summariseCompare(runs.map(viewFromRecord), input.targetAccuracy ?? DEFAULT_TARGET_ACCURACY, order);
  return {
    format: COMPARE_FILE_FORMAT,
    version: COMPARE_FILE_VERSION,
    app: 'Soft-XOR Playground',
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    link: input.link ?? '',
    params: structuredClone(params),
    plan: state.plans.map((p) => ({ runId: p.runId, model: p.model, seed: p.seed, seedIndex: p.seedIndex, dataSeed: p.dataSeed })),
    runs,
    summary: summaryRecord(summary),
  };
}

/** The summary with every NaN as null (JSON has no NaN); reads back equal through the schema. */
export function summaryRecord(s: CompareSummary): CompareFileSummary {
  return JSON.parse(JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as CompareFileSummary;
}

/** JSON text of a comparison file: readable, with every number array on one line. */
export function serializeComparisonFile(file: ComparisonFile): string {
  return JSON.stringify(file, null, 2).replace(
    /\[\s+((?:[-+\d.eE,\s]|null)+?)\s+\]/g,
    (_, body: string) => `[${body.replace(/\s+/g, '')}]`,
  );
}

// ---------- reading ----------

/** Back to the page's record; also used by the writer, so the file's summary is what an import computes. */
function viewFromRecord(r: CompareFileRun): CompareRunView {
  const n = (x: number | null) => x ?? NaN;
  const h = r.history;
  const history: MetricPoint[] = h.step.map((step, i) => ({
    step,
    epoch: h.epoch[i],
    trainLoss: n(h.trainLoss[i]),
    testLoss: n(h.testLoss[i]),
    trainAcc: n(h.trainAcc[i]),
    testAcc: n(h.testAcc[i]),
  }));
  const analysis = (a: CompareFileRun['analysis']): ShapeAnalysis | null =>
    a && {
      fit: { c: a.fit.c.map(n) as ShapeAnalysis['fit']['c'], cosine: n(a.fit.cosine), mse: n(a.fit.mse), n: n(a.fit.n) },
      hessianDet: n(a.hessianDet),
      verdict: a.verdict,
      centre: [n(a.centre[0]), n(a.centre[1])],
      radius: n(a.radius),
      spectrum: a.spectrum.map(n),
      maskArea: n(a.maskArea),
    };
  const field = (f: CompareFileRun['g']) => f && { grid: { ...f.grid }, values: Float32Array.from(f.values) };
  const all = r.density ? Float32Array.from(r.density.values) : null;
  const b = r.bootstrap;
  return {
    runId: r.runId,
    model: r.model,
    seed: r.seed,
    seedIndex: r.seedIndex,
    step: r.step,
    diverged: r.diverged,
    status: importedStatus(r.status),
    message: r.message,
    paramTotal: r.paramTotal,
    hidden: [...r.hidden],
    history,
    analysis: analysis(r.analysis),
    analysisInit: analysis(r.analysisInit),
    bootstrap: b && {
      verdict: b.verdict,
      relativeDet: { lo: n(b.relativeDet.lo), hi: n(b.relativeDet.hi) },
      hessianDet: { lo: n(b.hessianDet.lo), hi: n(b.hessianDet.hi) },
      resamples: b.resamples,
      step: b.step,
    },
    verdictHistory: r.verdictHistory.map((v) => ({ step: v.step, verdict: v.verdict })),
    g: field(r.g),
    gInit: field(r.gInit),
    g1d: r.g1d && { xs: Float32Array.from(r.g1d.xs), ys: Float32Array.from(r.g1d.ys) },
    density: r.density && all ? { grid: { ...r.density.grid }, all, perLayer: [], mask: massMask(all, 0.9) } : null,
    progress: null,
  };
}

/** An imported run trains no more: what was training (or about to) is shown as paused. */
function importedStatus(s: RunStatus): RunStatus {
  return s === 'diverged' || s === 'error' || s === 'nodata' ? s : 'paused';
}

export interface ImportedComparison {
  /** The base params of the comparison (compare and seeds set). */
  params: Params;
  /** The compare slice's state: the plan and one record per run, not playing, no pool. */
  state: CompareState;
  /** The table as the file has it (equal to summariseCompare of the runs in plan order). */
  summary: CompareSummary;
  robustness: Record<string, CompareFileRobustness[]>;
  createdAt: string;
  link: string;
}

export type ComparisonReadResult = { ok: true; comparison: ImportedComparison } | { ok: false; errors: string[] };

const sameGrid = (a: { min: number; max: number; size: number }, b: { min: number; max: number; size: number }) =>
  a.min === b.min && a.max === b.max && a.size === b.size;

/** Every relation between a run's fields the schema cannot see; problems named by run. */
function checkRun(r: ParsedCompareFileRun, where: string, errors: string[]): void {
  const h = r.history;
  const lengths = [h.epoch, h.trainLoss, h.testLoss, h.trainAcc, h.testAcc].map((c) => c.length);
  if (lengths.some((l) => l !== h.step.length)) errors.push(`${where}.history: every column needs ${h.step.length} values (one per step)`);
  if (h.step.some((s, i) => i > 0 && s < h.step[i - 1])) errors.push(`${where}.history.step: steps must not decrease`);
  for (const key of ['g', 'gInit', 'density'] as const) {
    const f = r[key];
    if (f && !(f.grid.max > f.grid.min)) errors.push(`${where}.${key}.grid: max must be larger than min`);
    if (f && f.values.length !== f.grid.size * f.grid.size)
      errors.push(
        `${where}.${key}.values: expected ${f.grid.size * f.grid.size} numbers (${f.grid.size} x ${f.grid.size}), found ${f.values.length}`,
      );
  }
  const twoArg = r.model === 'twoArg';
  for (const key of ['g', 'gInit', 'analysis', 'analysisInit', 'bootstrap'] as const) {
    if (!twoArg && r[key] !== null) errors.push(`${where}.${key}: a ${r.model} model has no two-argument g, but the file has one`);
  }
  if (!twoArg && r.verdictHistory.length > 0) errors.push(`${where}.verdictHistory: a ${r.model} model has no verdicts`);
  if (r.g && r.gInit && !sameGrid(r.g.grid, r.gInit.grid)) errors.push(`${where}.gInit.grid: must be g's grid`);
  if (r.g && r.density && !sameGrid(r.g.grid, r.density.grid)) errors.push(`${where}.density.grid: must be g's grid`);
  if (r.g1d) {
    if (r.model !== 'oneArg') errors.push(`${where}.g1d: only a oneArg model has a learned curve g(z)`);
    if (r.g1d.xs.length !== r.g1d.ys.length || r.g1d.xs.length < 2)
      errors.push(`${where}.g1d: xs and ys need the same length, at least 2 (found ${r.g1d.xs.length} and ${r.g1d.ys.length})`);
  }
  (r.robustness ?? []).forEach((c, i) => {
    if (c.diverged !== (c.accuracy === null))
      errors.push(`${where}.robustness[${i}]: a curve has accuracies exactly when the run did not diverge`);
    if (c.accuracy && c.accuracy.length !== c.sizes.length)
      errors.push(`${where}.robustness[${i}].accuracy: expected ${c.sizes.length} values (one per size), found ${c.accuracy.length}`);
  });
}

/**
 * Reads a comparison file's text. `byteSize` (the file's size, when known) is checked first, so
 * a huge file is refused without reading it; the text length is checked again before parsing.
 */
export function readComparisonFile(text: string, byteSize?: number): ComparisonReadResult {
  const limitText = `${(COMPARE_FILE_MAX_BYTES / (1024 * 1024)).toFixed(0)} MB`;
  if ((byteSize ?? 0) > COMPARE_FILE_MAX_BYTES || typeof text !== 'string' || text.length > COMPARE_FILE_MAX_BYTES) {
    return { ok: false, errors: [`The file is larger than ${limitText}; a comparison file of this app is smaller.`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`Not JSON: ${errorMessage(e).slice(0, 120)}`] };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, errors: ['Not a comparison file: expected a JSON object.'] };
  const head = data as Record<string, unknown>;
  if (head.format !== COMPARE_FILE_FORMAT) {
    const hint = head.format === 'soft-xor-run' ? ' (this is a single run: import it under Share / export)' : '';
    return {
      ok: false,
      errors: [`Not a comparison file of this app: "format" is ${quote(head.format)}, expected "${COMPARE_FILE_FORMAT}"${hint}.`],
    };
  }
  if (head.version !== COMPARE_FILE_VERSION) {
    return {
      ok: false,
      errors: [`Unsupported comparison file version ${quote(head.version)}; this app reads version ${COMPARE_FILE_VERSION}.`],
    };
  }
  const parsed = compareFileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: limited(parsed.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`)) };
  const d = parsed.data;
  const errors: string[] = [];
  const params = readParams(head.params as Record<string, unknown>, errors);
  if (!params) return { ok: false, errors: limited(errors) };
  if (params.compare.length === 0)
    return { ok: false, errors: ['params.compare: empty, so this is not a comparison (no models to compare)'] };
  const plans = comparePlan(params);
  const planText = (p: { runId: string; model: string; seed: number; seedIndex: number; dataSeed: number }) =>
    `${p.runId}/${p.model}/${p.seed}/${p.seedIndex}/${p.dataSeed}`;
  if (d.plan.length !== plans.length || d.plan.some((p, i) => planText(p) !== planText(plans[i]))) {
    errors.push(`plan: does not follow from the params (expected ${plans.length} runs: ${plans.map((p) => p.runId).join(', ')})`);
  }
  if (d.runs.length !== plans.length) errors.push(`runs: expected ${plans.length} runs (one per model and seed), found ${d.runs.length}`);
  d.runs.forEach((r, i) => {
    const where = `runs[${i}] (${quote(r.runId)})`;
    const p = plans[i];
    if (p && (r.runId !== p.runId || r.model !== p.model || r.seed !== p.seed || r.seedIndex !== p.seedIndex)) {
      errors.push(`${where}: expected run ${p.runId} (model ${p.model}, seed ${p.seed}) here, in the plan's order`);
    }
    checkRun(r, where, errors);
  });
  if (errors.length > 0) return { ok: false, errors: limited(errors) };
  const views = d.runs.map(viewFromRecord);
  const robustness: Record<string, CompareFileRobustness[]> = {};
  for (const r of d.runs) if (r.robustness) robustness[r.runId] = r.robustness;
  return {
    ok: true,
    comparison: {
      params,
      state: { plans, runs: Object.fromEntries(views.map((v) => [v.runId, v])), playing: false, poolSize: 0, stepsPerSecond: 0 },
      summary: d.summary,
      robustness,
      createdAt: d.createdAt ?? '',
      link: d.link ?? '',
    },
  };
}
