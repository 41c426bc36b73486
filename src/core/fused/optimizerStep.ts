/**
 * The optimizer constants of one fused step, computed once on the CPU in float64 and handed to
 * a kernel (the WebAssembly/TypeScript one, or the WebGPU one) as numbers: Adam's bias
 * correction folded into the step size and epsilon, as tfjs's Adam does.
 */
export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPSILON = 1e-8;

/** Adam's step size and epsilon for its t-th step (t counts from 1). */
export function adamStepConstants(t: number, learningRate: number): { stepSize: number; epsHat: number } {
  const c1 = 1 - Math.pow(BETA1, t);
  const c2 = 1 - Math.pow(BETA2, t);
  return { stepSize: (learningRate * Math.sqrt(c2)) / c1, epsHat: EPSILON * Math.sqrt(c2) };
}
