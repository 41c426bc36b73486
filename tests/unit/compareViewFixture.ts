/**
 * A compare-mode state for view tests: twoArg, oneArg and relu x 4 seeds at step 400, with
 * hand-picked verdicts (learned: XOR, XNOR, not, XOR; at step 0: XOR, not, not, XNOR), one
 * undecided and one pending bootstrap, and relu's last seed diverged.
 */
import type { UncertainVerdict } from '../../src/core/analysis/bootstrap';
import type { ShapeAnalysis, ShapeVerdict } from '../../src/core/analysis/shape';
import { comparePlan } from '../../src/core/compare/plan';
import { defaultParams } from '../../src/core/params';
import type { CompareRunView, CompareState, TimedVerdict } from '../../src/state/compareTypes';
import type { MetricPoint } from '../../src/worker/protocol';

export const FIXTURE_STEP = 400;

export function analysisOf(verdict: ShapeVerdict, spectrum: number[]): ShapeAnalysis {
  return {
    fit: { c: [0.1, 0.1, verdict === 'soft-xnor' ? 1 : -1, 0, 0, 0], cosine: 0.9, mse: 0.01, n: 40 },
    hessianDet: verdict === 'not-saddle' ? 0.5 : -0.9,
    verdict,
    centre: [0, 0],
    radius: 1,
    spectrum,
    maskArea: 4,
  };
}

function bootstrapOf(verdict: UncertainVerdict, lo: number, hi: number): TimedVerdict {
  return { verdict, relativeDet: { lo, hi }, hessianDet: { lo: lo * 2, hi: hi * 2 }, resamples: 50, step: FIXTURE_STEP };
}

/** Test accuracy rises linearly from 0.5 to `final` over steps 0, 100, ..., 400. */
function historyTo(final: number, loss: number): MetricPoint[] {
  return [0, 100, 200, 300, 400].map((step) => {
    const f = step / FIXTURE_STEP;
    const acc = 0.5 + (final - 0.5) * f;
    return { step, epoch: step / 10, trainLoss: loss * (2 - f), testLoss: loss * (2.2 - f), trainAcc: acc, testAcc: acc };
  });
}

const grid = { min: -2, max: 2, size: 5 };
const field = (f: (a: number, b: number) => number) => {
  const values = new Float32Array(25);
  for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) values[r * 5 + c] = f(c - 2, r - 2);
  return { grid, values };
};

export function compareViewFixture(): CompareState {
  const params = { ...defaultParams(), compare: ['twoArg', 'oneArg', 'relu'], seeds: 4, seed: 7 };
  const plans = comparePlan(params);
  const learned: ShapeVerdict[] = ['soft-xor', 'soft-xnor', 'not-saddle', 'soft-xor'];
  const initial: ShapeVerdict[] = ['soft-xor', 'not-saddle', 'not-saddle', 'soft-xnor'];
  const boots = [bootstrapOf('soft-xor', -0.8, -0.3), bootstrapOf('undecided', -0.2, 0.1), bootstrapOf('not-saddle', 0.2, 0.6), null];
  const finals: Record<string, number[]> = {
    twoArg: [0.98, 0.96, 0.95, 0.97],
    oneArg: [0.9, 0.85, 0.92, 0.88],
    relu: [0.8, 0.82, 0.79, 0.81],
  };
  const runs: Record<string, CompareRunView> = {};
  for (const p of plans) {
    const i = p.seedIndex;
    const twoArg = p.model === 'twoArg';
    const diverged = p.model === 'relu' && i === 3;
    const total = p.model === 'twoArg' ? 2345 : p.model === 'oneArg' ? 2350 : 2339;
    runs[p.runId] = {
      runId: p.runId,
      model: p.model,
      seed: p.seed,
      seedIndex: i,
      step: FIXTURE_STEP,
      diverged,
      status: diverged ? 'diverged' : 'paused',
      message: diverged ? 'The loss became NaN at step 380.' : null,
      paramTotal: total,
      hidden: twoArg ? [8, 8] : p.model === 'oneArg' ? [12, 12] : [13, 13],
      history: historyTo(finals[p.model][i], 0.1 * (i + 1)),
      g: twoArg ? field((a, b) => a * b * (i % 2 ? -1 : 1)) : null,
      gInit: twoArg ? field((a, b) => a + b) : null,
      g1d: p.model === 'oneArg' ? { xs: Float32Array.from([-1, 0, 1]), ys: Float32Array.from([1, 0, 1]) } : null,
      density: twoArg ? { grid, all: new Float32Array(25).fill(0.04), perLayer: [], mask: new Uint8Array(25).fill(1) } : null,
      analysis: twoArg ? analysisOf(learned[i], [1, 1, [2, 0.5, 1.5, 3][i], 0.1]) : null,
      analysisInit: twoArg ? analysisOf(initial[i], [1, 1, [0.5, 1, 0.25, 2][i], 0.1]) : null,
      bootstrap: twoArg ? boots[i] : null,
      verdictHistory:
        twoArg && boots[i]
          ? [
              { step: 100, verdict: 'undecided' },
              { step: 300, verdict: boots[i].verdict },
            ]
          : [],
      progress: null,
    };
  }
  return { plans, runs, playing: false, poolSize: 2, stepsPerSecond: 0 };
}
