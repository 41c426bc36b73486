/**
 * The WebAssembly SIMD kernel behind the FusedKernel interface. The caller supplies the compiled
 * module (the worker fetches fused.wasm by URL; Node tests read it from disk): core never fetches.
 */
import type { FusedKernel, KernelFactory } from './kernel';

/** The module's exports: its memory, where its heap starts, and the kernel calls by the same signatures. */
type Exports = { memory: WebAssembly.Memory; heapBase(): number } & Pick<
  FusedKernel,
  'configure' | 'forward' | 'lossGrad' | 'gEval' | 'gLossGrad' | 'adam' | 'sgd'
>;

const PAGE = 65536;

/** Whether this JavaScript engine validates WebAssembly SIMD128 (a tiny module using v128). */
export function wasmSimdSupported(): boolean {
  // (module (func (result v128) i32.const 0 i8x16.splat))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(probe);
  } catch {
    return false;
  }
}

/** Compiles the engine's module once; each run then instantiates its own memory from it. */
export async function compileFusedModule(bytes: BufferSource): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytes);
}

/** A kernel factory from a compiled module: each call instantiates a fresh memory (cheap, asynchronous). */
export function wasmKernelFactory(module: WebAssembly.Module): KernelFactory {
  return async () => {
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort: () => {
          throw new Error('fused engine: wasm abort');
        },
      },
    });
    const exports = instance.exports as unknown as Exports;
    let f32 = new Float32Array(exports.memory.buffer);
    let i32 = new Int32Array(exports.memory.buffer);
    const refresh = () => {
      if (f32.buffer !== exports.memory.buffer) {
        f32 = new Float32Array(exports.memory.buffer);
        i32 = new Int32Array(exports.memory.buffer);
      }
    };
    const kernel: FusedKernel = {
      kind: 'wasm',
      heapBase: () => exports.heapBase(),
      reserve(bytes) {
        const have = exports.memory.buffer.byteLength;
        if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / PAGE));
        refresh();
      },
      floats: () => f32,
      ints: () => i32,
      configure: (d) => exports.configure(d),
      forward: (n, m) => exports.forward(n, m),
      lossGrad: (n, m, li, l2, gc) => exports.lossGrad(n, m, li, l2, gc),
      gEval: (c, i, r, o) => exports.gEval(c, i, r, o),
      gLossGrad: (c, i, t, r, gs, gc) => exports.gLossGrad(c, i, t, r, gs, gc),
      adam: (s, n, b1, o1, b2, o2, e, st) => exports.adam(s, n, b1, o1, b2, o2, e, st),
      sgd: (s, n, lr, mo) => exports.sgd(s, n, lr, mo),
    };
    return kernel;
  };
}
