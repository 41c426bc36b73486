/**
 * Picks and activates the tfjs backend in the worker. "auto" means WebGPU only on a hardware
 * adapter: a software/fallback adapter (SwiftShader) is 50-80x slower than WebAssembly here
 * (see shared/browser.md), so then wasm, then webgl, then cpu. Backends load lazily so the
 * default path downloads only what it uses.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendChoice } from '../core/params';
import type { BackendName } from './protocol';

import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export interface ActiveBackend {
  name: BackendName;
  reason: string;
}

const loaders: Record<BackendName, () => Promise<void>> = {
  cpu: async () => undefined,
  webgl: async () => {
    await import('@tensorflow/tfjs-backend-webgl');
  },
  webgpu: async () => {
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Served from our own origin (no CDN): the files ship with the app.
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
    });
  },
};

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { architecture?: string; vendor?: string; isFallbackAdapter?: boolean };
}

/** Whether a hardware WebGPU adapter exists, and in words why not. */
export async function probeWebGpu(): Promise<{ hardware: boolean; why: string }> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return { hardware: false, why: 'no WebGPU in this browser' };
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    adapter = null;
  }
  if (!adapter) return { hardware: false, why: 'no WebGPU adapter' };
  const arch = adapter.info?.architecture ?? '';
  if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter || /swiftshader/i.test(arch)) {
    return { hardware: false, why: 'software WebGPU adapter' + (arch ? ` (${arch})` : '') };
  }
  return { hardware: true, why: `hardware WebGPU adapter${adapter.info?.vendor ? ` (${adapter.info.vendor})` : ''}` };
}

/** Tries to activate one backend; false (never a throw) when it cannot start. */
async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    await loaders[name]();
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

const FALLBACK_ORDER: BackendName[] = ['wasm', 'webgl', 'cpu'];

/** Activates the chosen backend (or the best available) and says which runs and why. */
export async function activateBackend(choice: BackendChoice): Promise<ActiveBackend> {
  const failures: string[] = [];
  let preface: string;
  let order: BackendName[];
  if (choice === 'auto') {
    const probe = await probeWebGpu();
    preface = `auto: ${probe.why}`;
    order = probe.hardware ? ['webgpu', ...FALLBACK_ORDER] : FALLBACK_ORDER;
  } else {
    preface = 'chosen';
    order = [choice, ...FALLBACK_ORDER.filter((b) => b !== choice)];
  }
  for (const name of order) {
    if (await tryBackend(name)) {
      const failed = failures.length ? `; ${failures.join(', ')} failed to start` : '';
      return { name, reason: `${preface}${failed}, using ${name}` };
    }
    failures.push(name);
  }
  throw new Error(`no tfjs backend could start (${failures.join(', ')})`);
}
