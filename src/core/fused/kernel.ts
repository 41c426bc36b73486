/**
 * The fused engine's kernel interface: the same calls, on the same memory plan, whether the
 * WebAssembly SIMD module (wasmKernel.ts) or the plain TypeScript fallback (tsKernel.ts) runs
 * them. Offsets are bytes; the float/int views index memory in 4-byte words (offset >> 2).
 */
export interface FusedKernel {
  readonly kind: 'wasm' | 'ts32' | 'ts64';
  /** First free byte for the wrapper's own layout. */
  heapBase(): number;
  /** Makes sure at least `bytes` of memory exist (views are refreshed afterwards). */
  reserve(bytes: number): void;
  /** Word views of memory (re-read them after reserve()). */
  floats(): Float32Array | Float64Array;
  ints(): Int32Array;
  configure(desc: number): void;
  forward(n: number, useMask: number): void;
  lossGrad(n: number, useMask: number, learnInner: number, l2: number, gradCount: number): number;
  gEval(copy: number, inp: number, rows: number, out: number): void;
  gLossGrad(copy: number, inp: number, target: number, rows: number, gradStart: number, gradCount: number): number;
  adam(start: number, count: number, b1: number, omb1: number, b2: number, omb2: number, epsHat: number, stepSize: number): void;
  sgd(start: number, count: number, lr: number, momentum: number): void;
}

/**
 * A factory for a fresh kernel (one per run: each run owns its memory). May be asynchronous:
 * browsers refuse to instantiate larger modules synchronously on the main thread.
 */
export type KernelFactory = () => FusedKernel | Promise<FusedKernel>;
