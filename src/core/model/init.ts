/**
 * Weight initialisers drawing from the project's seeded RNG (never tfjs' own random ops), so a
 * seed reproduces the initial weights on every backend.
 */
import type { Rng } from '../rng';

/** Xavier/Glorot uniform: U(-l, l), l = sqrt(6 / (fanIn + fanOut)). The paper's init for g. */
export function xavierUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return rng.uniformArray(fanIn * fanOut, -limit, limit);
}

/**
 * PyTorch's default for nn.Linear (kaiming_uniform with a = sqrt(5)): weights and biases
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)). The paper's code used the framework default for the outer
 * layers, and that framework was PyTorch.
 */
export function torchLinearWeights(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = 1 / Math.sqrt(fanIn);
  return rng.uniformArray(fanIn * fanOut, -limit, limit);
}

export function torchLinearBias(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = 1 / Math.sqrt(fanIn);
  return rng.uniformArray(fanOut, -limit, limit);
}
