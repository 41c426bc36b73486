/** When the page calls a run stuck at chance level, and what it suggests. */
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/core/params';
import { chanceLoss, STUCK_AFTER_STEPS, stuckAdvice } from '../../src/state/stuck';
import type { MetricPoint } from '../../src/worker/protocol';

const point = (step: number, trainLoss: number): MetricPoint => ({
  step,
  epoch: 0,
  trainLoss,
  testLoss: trainLoss,
  trainAcc: 0.5,
  testAcc: 0.5,
});
const run = (steps: number, loss: (step: number) => number) =>
  Array.from({ length: steps / 10 + 1 }, (_, i) => point(i * 10, loss(i * 10)));

describe('stuck runs', () => {
  it('a run at chance loss past the grace period is stuck, with a lower learning rate and another seed suggested', () => {
    const p = { ...defaultParams(), lr: 3 };
    const advice = stuckAdvice(
      run(400, () => 0.6935),
      p,
    );
    expect(advice).toMatch(/stuck: after 400 steps the training loss \(0\.694\) is no better than guessing \(0\.693\)/);
    expect(advice).toMatch(/lower learning rate \(now 3; try 0\.3\).*different seed/);
  });

  it('not before the grace period, not when the loss has left chance anywhere in the window, not on NaN', () => {
    const p = defaultParams();
    expect(
      stuckAdvice(
        run(STUCK_AFTER_STEPS - 10, () => 0.7),
        p,
      ),
    ).toBeNull();
    expect(
      stuckAdvice(
        run(400, (s) => (s === 350 ? 0.5 : 0.7)),
        p,
      ),
    ).toBeNull();
    expect(
      stuckAdvice(
        run(400, (s) => 0.7 - s / 1000),
        p,
      ),
    ).toBeNull();
    expect(
      stuckAdvice(
        run(400, () => NaN),
        p,
      ),
    ).toBeNull();
    expect(stuckAdvice([], p)).toBeNull();
  });

  it('uses the chance level of ten classes on image data, and suggests LayerNorm for relu without it', () => {
    expect(chanceLoss('digits')).toBeCloseTo(Math.log(10));
    const images = { ...defaultParams(), dataset: 'digits' as const };
    expect(
      stuckAdvice(
        run(400, () => 0.7),
        images,
      ),
    ).toBeNull(); // far below ln 10: learning
    expect(
      stuckAdvice(
        run(400, () => 2.31),
        images,
      ),
    ).toMatch(/stuck/);
    const relu = { ...defaultParams(), model: 'relu' as const, ln: false, optimizer: 'sgd' as const, lr: 0.5 };
    expect(
      stuckAdvice(
        run(400, () => 0.7),
        relu,
      ),
    ).toMatch(/turning LayerNorm on/);
  });
});
