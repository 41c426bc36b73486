/** Shared setup of the fused-engine tests: the committed module, kernel factories, tfjs comparisons. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFusedModule, wasmKernelFactory } from '../../src/core/fused/wasmKernel';
import type { KernelFactory } from '../../src/core/fused/kernel';
import { tsKernel } from '../../src/core/fused/tsKernel';

export const WASM_PATH = fileURLToPath(new URL('../../src/core/fused/fused.wasm', import.meta.url));

let factory: KernelFactory | null = null;

export async function wasmKernels(): Promise<KernelFactory> {
  factory ??= wasmKernelFactory(await compileFusedModule(readFileSync(WASM_PATH)));
  return factory;
}

export const ts32Kernels: KernelFactory = () => tsKernel(32);

/** Largest |a - b| over all arrays, and the largest |a| (for relative comparisons). */
export function maxDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  a.forEach((x, i) => {
    for (let j = 0; j < x.length; j++) {
      diff = Math.max(diff, Math.abs(x[j] - b[i][j]));
      scale = Math.max(scale, Math.abs(x[j]), Math.abs(b[i][j]));
    }
  });
  return { diff, scale };
}
