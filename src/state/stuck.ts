/**
 * A run that neither learns nor diverges (lr=3 with Adam, relu + sgd without LayerNorm): after a
 * few hundred steps with the training loss no better than guessing, the page says so and
 * suggests a change. A pure decision on the metric history the snapshots carry.
 */
import { isImageDataset, type Params } from '../core/params';
import type { MetricPoint } from '../worker/protocol';

/** Steps a run gets before it can be called stuck (a normal run leaves chance well before). */
export const STUCK_AFTER_STEPS = 300;
/** The loss must stay at or above this fraction of the chance-level loss over the whole window. */
export const STUCK_LOSS_FRACTION = 0.97;
/** The window looked at: the last this many steps. */
export const STUCK_WINDOW_STEPS = 200;

/** Cross-entropy of guessing: ln 2 for the two-class 2D data, ln 10 for the ten-class image sets. */
export function chanceLoss(dataset: Params['dataset']): number {
  return Math.log(isImageDataset(dataset) ? 10 : 2);
}

/** What to tell the user when the run is stuck, or null when it learns (or has not had enough steps). */
export function stuckAdvice(history: readonly MetricPoint[], params: Params): string | null {
  const last = history[history.length - 1];
  if (!last || last.step < STUCK_AFTER_STEPS) return null;
  const window = history.filter((p) => p.step >= last.step - STUCK_WINDOW_STEPS);
  // At least a few read-outs, so one lucky or unlucky evaluation decides nothing.
  if (window.length < 3) return null;
  const chance = chanceLoss(params.dataset);
  if (!window.every((p) => Number.isFinite(p.trainLoss) && p.trainLoss >= STUCK_LOSS_FRACTION * chance)) return null;
  const lower =
    params.lr > 0.01
      ? `a lower learning rate (now ${params.lr}; try ${Number((params.lr / 10).toPrecision(2))})`
      : 'a higher learning rate';
  const ln = params.model === 'relu' && !params.ln ? ', turning LayerNorm on' : '';
  return (
    `The run is stuck: after ${last.step.toLocaleString('en-US')} steps the training loss (${last.trainLoss.toFixed(3)}) is no better than guessing ` +
    `(${chance.toFixed(3)}). Try ${lower}${ln}, or a different seed.`
  );
}
