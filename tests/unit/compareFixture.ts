/**
 * A realistic compare state for export tests, without training: every run of the plan with a
 * metric history, and for the two-argument model a g on the argument grid (a seeded mix of a
 * saddle and a bowl), its density, shape analysis (core's liveShape), g at step 0, a bootstrap
 * verdict and a verdict history; for the one-argument model its curve g(z). The last
 * two-argument run diverged (NaN losses, a g holding NaN).
 */
import { comparePlan } from '../../src/core/compare/plan';
import { gridCoord } from '../../src/core/grid';
import { ARGUMENT_GRID, g1dAxis, liveShape } from '../../src/core/liveView';
import { defaultParams, type Params } from '../../src/core/params';
import { Rng } from '../../src/core/rng';
import type { CompareRunView, CompareState } from '../../src/state/compareTypes';
import type { MetricPoint } from '../../src/worker/protocol';

function gField(rng: Rng, saddle: number): Float32Array {
  const { size } = ARGUMENT_GRID;
  const bowl = rng.uniform(-0.2, 0.2);
  const tilt = rng.uniform(-0.5, 0.5);
  const out = new Float32Array(size * size);
  for (let r = 0; r < size; r++) {
    const b = gridCoord(ARGUMENT_GRID, r);
    for (let c = 0; c < size; c++) {
      const a = gridCoord(ARGUMENT_GRID, c);
      out[r * size + c] = saddle * a * b + bowl * (a * a + b * b) + tilt * a + 0.01 * rng.normal();
    }
  }
  return out;
}

function argumentsOf(rng: Rng, examples = 256, units = 8): Float32Array {
  const pairs = new Float32Array(examples * units * 2);
  for (let i = 0; i < pairs.length; i++) pairs[i] = rng.normal(0, 1.2);
  return pairs;
}

function historyOf(rng: Rng, points: number, stepEvery: number, diverged: boolean): MetricPoint[] {
  return Array.from({ length: points }, (_, i) => {
    const t = i / Math.max(1, points - 1);
    const acc = Math.min(1, 0.5 + 0.48 * t + 0.02 * rng.normal());
    const broken = diverged && i === points - 1;
    return {
      step: i * stepEvery,
      epoch: (i * stepEvery) / 16,
      trainLoss: broken ? NaN : 0.7 * (1 - t) + 0.05 + 0.01 * rng.next(),
      testLoss: broken ? Infinity : 0.72 * (1 - t) + 0.06 + 0.01 * rng.next(),
      trainAcc: Math.max(0, acc),
      testAcc: Math.max(0, acc - 0.01),
    };
  });
}

export interface FixtureOptions {
  models?: string[];
  seeds?: number;
  /** Metric points per run. */
  points?: number;
  /** The last two-argument run diverged. */
  withDiverged?: boolean;
}

export function compareFixture(opts: FixtureOptions = {}): { params: Params; state: CompareState } {
  const params: Params = { ...defaultParams(), compare: opts.models ?? ['twoArg', 'oneArg', 'relu'], seeds: opts.seeds ?? 4 };
  const plans = comparePlan(params);
  const points = opts.points ?? 51;
  const runs: Record<string, CompareRunView> = {};
  const twoArgPlans = plans.filter((p) => p.model === 'twoArg');
  for (const p of plans) {
    const rng = Rng.derive(p.seed, `fixture-${p.model}`);
    const diverged = (opts.withDiverged ?? true) && p === twoArgPlans[twoArgPlans.length - 1];
    const history = historyOf(rng, points, 20, diverged);
    const step = history[history.length - 1]?.step ?? 0;
    const view: CompareRunView = {
      runId: p.runId,
      model: p.model,
      seed: p.seed,
      seedIndex: p.seedIndex,
      step,
      diverged,
      status: diverged ? 'diverged' : 'paused',
      message: diverged ? 'The loss became NaN at step 1000.' : null,
      paramTotal: p.model === 'relu' ? 353 : 337,
      hidden: p.model === 'relu' ? [9, 9] : [8, 8],
      history,
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
    if (p.model === 'twoArg') {
      const g = gField(rng, p.seedIndex % 2 === 0 ? -0.5 : 0.1);
      const gInit = gField(rng, rng.uniform(-0.2, 0.2));
      if (diverged) g[17] = NaN;
      const shape = liveShape([argumentsOf(rng)], g);
      const shapeInit = liveShape([argumentsOf(rng)], gInit);
      view.g = { grid: { ...ARGUMENT_GRID }, values: g };
      view.gInit = { grid: { ...ARGUMENT_GRID }, values: gInit };
      view.density = { grid: { ...ARGUMENT_GRID }, all: shape.density.all, perLayer: shape.density.perLayer, mask: shape.density.mask };
      view.analysis = shape.analysis;
      view.analysisInit = shapeInit.analysis;
      if (p.seedIndex !== 1) {
        view.bootstrap = {
          verdict: p.seedIndex === 2 ? 'undecided' : shape.analysis.verdict,
          relativeDet: { lo: -0.8 + 0.1 * rng.next(), hi: p.seedIndex === 2 ? 0.02 : -0.3 },
          hessianDet: { lo: -0.2, hi: p.seedIndex === 2 ? 0.001 : -0.05 },
          resamples: 50,
          step,
        };
        view.verdictHistory = [
          { step: step / 2, verdict: 'undecided' },
          { step, verdict: view.bootstrap.verdict },
        ];
      }
    }
    if (p.model === 'oneArg') {
      const xs = g1dAxis();
      view.g1d = { xs, ys: xs.map((x) => Math.tanh(x) + 0.1 * p.seedIndex * x * x) };
    }
    runs[p.runId] = view;
  }
  return { params, state: { plans, runs, playing: false, poolSize: 2, stepsPerSecond: 0 } };
}
