/**
 * When training has gone wrong (NaN or Inf loss, exploding weights), and what the user is told:
 * pure checks on the two numbers the host reads back after every chunk.
 */

/** A squared weight norm this large means the run is exploding even if the loss is still finite. */
export const EXPLODING_WEIGHT_NORM_SQ = 1e12;

/** Why the run diverged, in words, or null when the loss and the weights are fine. */
export function divergenceReason(loss: number, weightNormSquared: number): string | null {
  if (!Number.isFinite(loss)) return `the loss became ${loss}`;
  // Written so that a NaN norm counts as exploded.
  if (!(weightNormSquared < EXPLODING_WEIGHT_NORM_SQ)) return 'the weights exploded';
  return null;
}

/** The message shown when training stopped itself, with what to try. */
export function divergenceMessage(reason: string, step: number, lr: number): string {
  return `Training stopped by itself: ${reason} around step ${step}. The last good weights are restored. Try a lower learning rate (now ${lr}).`;
}
