/**
 * Compare mode's run plan and summary table against hand-computed values: mean +- sd of the
 * final metrics, steps to the target accuracy, saddle rates of the learned g and of the same
 * seeds' g at step 0 with their Wilson intervals, the XOR / XNOR split, the median l=2 / l=1
 * power ratio, diverged runs counted but left out, and the rows in the plan's order.
 */
import { describe, expect, it } from 'vitest';
import type { UncertainVerdict } from '../../src/core/analysis/bootstrap';
import type { ShapeVerdict } from '../../src/core/analysis/shape';
import { comparePlan, compareRunId, isCompareMode } from '../../src/core/compare/plan';
import { stepsToAccuracy, summariseCompare, type CompareRunResult } from '../../src/core/compare/summary';
import { defaultParams, PARAM_SPECS, type Params } from '../../src/core/params';

function base(patch: Partial<Params> = {}): Params {
  return { ...defaultParams(), ...patch };
}

describe('the compare plan', () => {
  it('is model-major, one run per model and seed, on the data of the base seed', () => {
    const plans = comparePlan(base({ compare: ['twoArg', 'relu'], seeds: 3, seed: 7 }));
    expect(plans.map((p) => p.runId)).toEqual(['twoArg-s7', 'twoArg-s8', 'twoArg-s9', 'relu-s7', 'relu-s8', 'relu-s9']);
    expect(plans.map((p) => p.seedIndex)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(plans.every((p) => p.dataSeed === 7)).toBe(true);
    for (const p of plans) {
      expect(p.params.model).toBe(p.model);
      expect(p.params.seed).toBe(p.seed);
      // Every baseline is parameter-matched; no run is itself a comparison, autoplays or embeds.
      expect(p.params.match).toBe(true);
      expect(p.params.compare).toEqual([]);
      expect(p.params.autoplay).toBe(false);
      expect(p.params.embed).toBe(false);
      expect(p.runId).toBe(compareRunId(p.model, p.seed));
    }
  });

  it('gives each run its own copy of the params and wraps seeds at the largest seed', () => {
    const b = base({ compare: ['oneArg'], seeds: 3, seed: PARAM_SPECS.seed.max, hidden: [8, 8] });
    const plans = comparePlan(b);
    expect(plans.map((p) => p.seed)).toEqual([PARAM_SPECS.seed.max, 0, 1]);
    expect(new Set(plans.map((p) => p.runId)).size).toBe(3);
    plans[0].params.hidden.push(99);
    expect(plans[1].params.hidden).toEqual([8, 8]);
    expect(b.hidden).toEqual([8, 8]);
  });

  it('compare mode is on exactly when models are listed', () => {
    expect(isCompareMode(base())).toBe(false);
    expect(comparePlan(base())).toEqual([]);
    expect(isCompareMode(base({ compare: ['relu'] }))).toBe(true);
  });
});

type Acc = [step: number, testAcc: number];

function run(
  model: CompareRunResult['model'],
  seed: number,
  accs: Acc[],
  extra: Partial<CompareRunResult> & { verdict?: ShapeVerdict; spectrum?: number[]; init?: [ShapeVerdict, number[]] | null } = {},
  losses: [number, number] = [0.5, 0.5],
): CompareRunResult {
  const { verdict, spectrum, init, ...rest } = extra;
  return {
    runId: compareRunId(model, seed),
    model,
    seed,
    step: accs[accs.length - 1][0],
    diverged: false,
    paramTotal: 337,
    hidden: [8, 8],
    history: accs.map(([step, testAcc], i) => ({
      step,
      testAcc,
      trainAcc: testAcc,
      // The losses of the last point are the ones the table reads.
      trainLoss: i === accs.length - 1 ? losses[0] : 9,
      testLoss: i === accs.length - 1 ? losses[1] : 9,
    })),
    analysis: verdict ? { verdict, spectrum: spectrum ?? [1, 1, 1, 0] } : null,
    analysisInit: init ? { verdict: init[0], spectrum: init[1] } : null,
    bootstrap: null,
    ...rest,
  };
}

const boot = (verdict: UncertainVerdict) => ({ verdict });

/**
 * Two-argument model, four seeds (hand-computed below):
 *   s1: acc 0.5, 0.85, 0.9  -> final 0.9, reaches 0.9 at step 100; learned soft XOR (l2/l1 = 0.5),
 *       step 0 not a saddle (l2/l1 = 3); bootstrap soft XOR.
 *   s2: acc 0.5, 0.95, 0.8  -> final 0.8, reaches 0.9 at step 50 (and falls back); learned soft XNOR
 *       (ratio 1), step 0 soft XOR (ratio 0.5); bootstrap undecided.
 *   s3: diverged at step 60, with numbers that would change every column if they were counted.
 *   s4: acc 0.5, 0.6, 0.7   -> final 0.7, never reaches 0.9; not a saddle (ratio 0.25); no step-0
 *       analysis yet; no bootstrap yet (pending).
 */
function twoArgRuns(): CompareRunResult[] {
  return [
    run(
      'twoArg',
      1,
      [
        [0, 0.5],
        [50, 0.85],
        [100, 0.9],
      ],
      { verdict: 'soft-xor', spectrum: [1, 2, 1, 0], init: ['not-saddle', [1, 1, 3, 0]], bootstrap: boot('soft-xor') },
      [0.2, 0.3],
    ),
    run(
      'twoArg',
      2,
      [
        [0, 0.5],
        [50, 0.95],
        [100, 0.8],
      ],
      { verdict: 'soft-xnor', spectrum: [1, 1, 1, 0], init: ['soft-xor', [1, 4, 2, 0]], bootstrap: boot('undecided') },
      [0.4, 0.5],
    ),
    run(
      'twoArg',
      3,
      [
        [0, 0.5],
        [60, 1],
      ],
      { diverged: true, verdict: 'soft-xor', spectrum: [1, 1, 100, 0], init: ['soft-xor', [1, 1, 100, 0]], bootstrap: boot('soft-xor') },
      [NaN, NaN],
    ),
    run(
      'twoArg',
      4,
      [
        [0, 0.5],
        [50, 0.6],
        [100, 0.7],
      ],
      { verdict: 'not-saddle', spectrum: [1, 4, 1, 0], init: null },
      [0.6, 0.7],
    ),
  ];
}

describe('the compare summary table', () => {
  it('final metrics: mean and sample sd over the live runs', () => {
    const [row] = summariseCompare(twoArgRuns(), 0.9).models;
    expect(row.model).toBe('twoArg');
    expect(row.runs).toBe(4);
    expect(row.diverged).toBe(1);
    // The diverged run stopped at 60; the model trained as far as its live runs (100).
    expect(row.step).toBe(100);
    expect(row.paramTotal).toBe(337);
    expect(row.hidden).toEqual([8, 8]);
    // 0.9, 0.8, 0.7: mean 0.8, deviations +-0.1 and 0, sd sqrt(0.02 / 2) = 0.1.
    expect(row.testAcc.n).toBe(3);
    expect(row.testAcc.mean).toBeCloseTo(0.8, 12);
    expect(row.testAcc.sd).toBeCloseTo(0.1, 12);
    // 0.2, 0.4, 0.6 and 0.3, 0.5, 0.7: sd sqrt(0.08 / 2) = 0.2.
    expect(row.trainLoss.mean).toBeCloseTo(0.4, 12);
    expect(row.trainLoss.sd).toBeCloseTo(0.2, 12);
    expect(row.testLoss.mean).toBeCloseTo(0.5, 12);
    expect(row.testLoss.sd).toBeCloseTo(0.2, 12);
  });

  it('steps to the target: the first recorded step at or above it, over the runs that got there', () => {
    const [row] = summariseCompare(twoArgRuns(), 0.9).models;
    // 100 and 50: mean 75, sd sqrt((25^2 + 25^2) / 1) = 25 sqrt 2.
    expect(row.reachedTarget).toBe(2);
    expect(row.stepsToTarget.n).toBe(2);
    expect(row.stepsToTarget.mean).toBe(75);
    expect(row.stepsToTarget.sd).toBeCloseTo(25 * Math.SQRT2, 10);
    const lower = summariseCompare(twoArgRuns(), 0.7).models[0];
    // 0.85 at 50, 0.95 at 50, 0.7 at 100.
    expect(lower.reachedTarget).toBe(3);
    expect(lower.stepsToTarget.mean).toBeCloseTo(200 / 3, 10);
    expect(stepsToAccuracy([{ step: 0, testAcc: 0.2, trainAcc: 0, trainLoss: 0, testLoss: 0 }], 0.9)).toBeNaN();
  });

  it('saddle rates of the learned g and of the same seeds at step 0, with 95% Wilson intervals', () => {
    const saddle = summariseCompare(twoArgRuns(), 0.9).models[0].saddle!;
    // Learned: s1 soft XOR, s2 soft XNOR, s4 not a saddle -> 2 of 3. Wilson 2/3: [0.2077, 0.9385].
    expect(saddle.learned.k).toBe(2);
    expect(saddle.learned.n).toBe(3);
    expect(saddle.learned.rate).toBeCloseTo(2 / 3, 12);
    expect(saddle.learned.lo).toBeCloseTo(0.2077, 4);
    expect(saddle.learned.hi).toBeCloseTo(0.9385, 4);
    // Step 0: s1 not a saddle, s2 soft XOR, s4 not analysed -> 1 of 2. Wilson 1/2: [0.0945, 0.9055].
    expect(saddle.initial.k).toBe(1);
    expect(saddle.initial.n).toBe(2);
    expect(saddle.initial.lo).toBeCloseTo(0.0945, 4);
    expect(saddle.initial.hi).toBeCloseTo(0.9055, 4);
    expect(saddle.learnedXor).toBe(1);
    expect(saddle.learnedXnor).toBe(1);
    expect(saddle.bootstrap).toEqual({ saddle: 1, notSaddle: 0, undecided: 1, pending: 1 });
  });

  it('the median l=2 / l=1 power ratio, now and at step 0', () => {
    const saddle = summariseCompare(twoArgRuns(), 0.9).models[0].saddle!;
    // Now, l2 / l1: s1 1/2 = 0.5, s2 1/1 = 1, s4 1/4 = 0.25 -> median 0.5.
    expect(saddle.quadrupoleRatio).toBe(0.5);
    // Step 0: s1 3/1 = 3, s2 2/4 = 0.5 -> median of two = 1.75.
    expect(saddle.quadrupoleRatioInitial).toBe(1.75);
    // No dipole power: the ratio is undefined and left out of the median.
    const flat = summariseCompare([run('twoArg', 1, [[0, 0.5]], { verdict: 'soft-xor', spectrum: [1, 0, 1, 0] })]).models[0].saddle!;
    expect(flat.quadrupoleRatio).toBeNaN();
  });

  it('counts a diverged run but leaves its numbers out; a model whose runs all diverged has no rates', () => {
    const all = twoArgRuns().map((r) => ({ ...r, diverged: true }));
    const [row] = summariseCompare(all, 0.9).models;
    expect(row.runs).toBe(4);
    expect(row.diverged).toBe(4);
    expect(row.testAcc).toEqual({ mean: NaN, sd: NaN, n: 0 });
    expect(row.reachedTarget).toBe(0);
    expect(row.saddle).toBeNull();
    // Nothing alive: the step falls back to where the runs stopped.
    expect(row.step).toBe(60);
  });

  it('models without a two-argument g have no saddle columns', () => {
    const rows = summariseCompare(
      [
        run('oneArg', 1, [
          [0, 0.5],
          [10, 0.95],
        ]),
        run('relu', 1, [
          [0, 0.5],
          [10, 0.92],
        ]),
      ],
      0.9,
    ).models;
    expect(rows.map((r) => r.saddle)).toEqual([null, null]);
    expect(rows.map((r) => r.stepsToTarget.mean)).toEqual([10, 10]);
  });

  it('rows come in the plan order, and the numbers do not depend on the order of the records', () => {
    const runs = [run('relu', 2, [[0, 0.61]]), ...twoArgRuns(), run('oneArg', 1, [[0, 0.7]]), run('relu', 1, [[0, 0.3]])];
    expect(summariseCompare(runs).models.map((m) => m.model)).toEqual(['relu', 'twoArg', 'oneArg']);
    const order = ['twoArg', 'oneArg', 'relu'] as const;
    const inOrder = summariseCompare(runs, 0.9, order);
    expect(inOrder.models.map((m) => m.model)).toEqual(['twoArg', 'oneArg', 'relu']);
    // A model in the order with no runs gets no row.
    expect(summariseCompare(runs, 0.9, ['tanh', 'relu']).models.map((m) => m.model)).toEqual(['relu', 'twoArg', 'oneArg']);
    // Exactly equal (not just close) whatever order the runs come in.
    const shuffled = [...runs].reverse();
    expect(summariseCompare(shuffled, 0.9, order)).toEqual(inOrder);
    expect(inOrder.targetAccuracy).toBe(0.9);
    expect(summariseCompare(runs).targetAccuracy).toBe(0.9);
  });
});
