/**
 * The fused CPU engine's public surface: FusedRun (the Run + Trainer surface the worker uses,
 * on plain arrays) and the kernel choice. The caller compiles fused.wasm (core never fetches).
 */
import type { KernelFactory } from './kernel';
import { tsKernel } from './tsKernel';
import { wasmKernelFactory, wasmSimdSupported } from './wasmKernel';

export { FusedRun, type FusedOptimizerState } from './fusedRun';
export { FusedUnsupportedError } from './fusedNet';
export { compileFusedModule, wasmSimdSupported } from './wasmKernel';
export type { FusedKernel, KernelFactory } from './kernel';

/**
 * The kernels to run on: WebAssembly SIMD when a compiled module is given and the engine
 * validates SIMD128, else the plain TypeScript fallback (same results to float32 rounding).
 */
export function fusedKernels(module: WebAssembly.Module | null): { factory: KernelFactory; kind: 'wasm' | 'ts32' } {
  if (module && wasmSimdSupported()) return { factory: wasmKernelFactory(module), kind: 'wasm' };
  return { factory: () => tsKernel(32), kind: 'ts32' };
}
