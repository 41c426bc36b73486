/**
 * Loads the fused engine's WebAssembly module once per worker: fetched from our own origin
 * (Vite's ?url; the CSP allows 'wasm-unsafe-eval') and compiled once; every run instantiates
 * its own memory from it. Without SIMD128 (or when the fetch fails) the TypeScript kernel runs.
 */
import { compileFusedModule, fusedKernels, wasmSimdSupported, type KernelFactory } from '../core/fused';
import { errorMessage } from '../core/errorMessage';
import fusedWasmUrl from '../core/fused/fused.wasm?url';

export interface FusedKernels {
  factory: KernelFactory;
  /** 'wasm': WebAssembly SIMD; 'ts32': the TypeScript fallback (and why, in `note`). */
  kind: 'wasm' | 'ts32';
  note: string | null;
}

let loading: Promise<FusedKernels> | null = null;

async function load(): Promise<FusedKernels> {
  if (!wasmSimdSupported()) return { ...fusedKernels(null), note: 'no WebAssembly SIMD: TypeScript kernel' };
  try {
    const response = await fetch(fusedWasmUrl);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const module = await compileFusedModule(await response.arrayBuffer());
    return { ...fusedKernels(module), note: null };
  } catch (e) {
    return { ...fusedKernels(null), note: `fused.wasm did not load (${errorMessage(e)}): TypeScript kernel` };
  }
}

/** The fused kernels (loaded and compiled on first use, then shared). */
export function loadFusedKernels(): Promise<FusedKernels> {
  loading ??= load();
  return loading;
}
