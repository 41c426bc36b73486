/**
 * Picks and activates the engine in the worker: the fused CPU engine or a tfjs backend. "auto"
 * times each available engine briefly on the current preset and keeps the fastest (autoChoice.ts);
 * WebGPU is timed only on a hardware adapter: a software/fallback adapter (SwiftShader) is 50-80x
 * slower than WebAssembly here (see shared/browser.md). Backends load lazily so the default
 * path downloads only what it uses.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { isGeneratedDataset, type BackendChoice, type Params } from '../core/params';
import { specFromParams } from '../core/run';
import { errorMessage } from '../core/errorMessage';
import { MEASURE_MS, measureEngine, pickFastest, type EngineMeasurement } from './autoChoice';
import { fusedEngine, tfjsEngine, type TrainEngine } from './engine';
import { loadFusedKernels } from './fusedLoader';
import { gpuUnsupportedReason } from '../core/fused/gpu/gpuPlan';
import { gpuFusedEngine } from './gpu/gpuEngine';
import { fusedGpu, fusedGpuUnavailableReason, startFusedGpu } from './gpu/fusedGpuBackend';
import { hostDataFor } from './hostData';
import type { BackendName } from './protocol';

import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export interface ActiveBackend {
  name: BackendName;
  reason: string;
}

/** The tfjs backends (every engine but the fused ones). */
export type TfjsBackendName = Exclude<BackendName, 'fused' | 'webgpu-fused'>;

const loaders: Record<TfjsBackendName, () => Promise<void>> = {
  cpu: () => Promise.resolve(),
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
  let adapter: GpuAdapterLike | null;
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

/** The tfjs backend this worker activated last (the fused engine's fallback), or null. */
let activeTfjs: TfjsBackendName | null = null;

/** Tries to activate one engine; false (never a throw) when it cannot start. The fused engine always can. */
async function tryBackend(name: BackendName): Promise<boolean> {
  if (name === 'fused') {
    await loadFusedKernels();
    return true;
  }
  if (name === 'webgpu-fused') {
    // The GPU step keeps a CPU fused run beside it (read-outs, checkpoints, fallback).
    if (!(await startFusedGpu(fusedGpuLost))) return false;
    await loadFusedKernels();
    return true;
  }
  try {
    await loaders[name]();
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    if (ok && tf.getBackend() === name) {
      activeTfjs = name;
      if (name === 'webgpu') watchDevice();
      return true;
    }
    return false;
  } catch {
    return false;
  }
}

const FALLBACK_ORDER: TfjsBackendName[] = ['wasm', 'webgl', 'cpu'];

interface DeviceLike {
  lost?: Promise<{ message?: string } | undefined>;
}

let deviceLostListener: ((message: string) => void) | null = null;
let deviceLost = false;
const watchedDevices = new WeakSet<object>();

function webgpuDevice(): DeviceLike | null {
  const backend = tf.findBackend('webgpu') as unknown as { device?: DeviceLike } | null;
  return backend?.device ?? null;
}

/** Listens to the tfjs WebGPU backend's `device.lost` (once per device): a lost device never finishes a read. */
function watchDevice(): void {
  const device = webgpuDevice();
  if (!device?.lost || watchedDevices.has(device)) return;
  watchedDevices.add(device);
  void device.lost.then((info) => {
    if (webgpuDevice() !== device) return;
    deviceLost = true;
    if (activeTfjs === 'webgpu') activeTfjs = null;
    deviceLostListener?.(info?.message ?? '');
  });
}

/**
 * Whether a rejection is a read on a lost WebGPU device: its pending mapAsync calls fail at once,
 * before `device.lost` resolves (so the training loop ends with it), and later reads fail too.
 * Expected; the runs move to the next engine (operations.ts), nothing for the user to act on.
 */
export function isLostDeviceRead(reason: unknown): boolean {
  if (!(reason instanceof DOMException)) return false;
  if (reason.name === 'AbortError' && /mapAsync/.test(reason.message)) return true;
  return deviceLost && reason.name === 'OperationError';
}

/** The fused GPU step's device is gone: the same path as tfjs-webgpu's (every run moves to the next engine). */
function fusedGpuLost(message: string): void {
  deviceLost = true;
  deviceLostListener?.(message);
}

/** Who hears about a lost WebGPU device (the worker's operations: they move every run). */
export function onWebGpuDeviceLost(listener: (message: string) => void): void {
  deviceLostListener = listener;
}

/** After a lost WebGPU device: the next engine that starts (fused first, then wasm, webgl, cpu). */
export async function activateAfterDeviceLoss(message: string): Promise<ActiveBackend> {
  const detail = message ? ` (${message})` : '';
  for (const name of ['fused', ...FALLBACK_ORDER] as const) {
    if (await tryBackend(name)) return { name, reason: `WebGPU device lost${detail}: continued on ${name} from the last checkpoint` };
  }
  throw new Error('the WebGPU device was lost and no other engine could start');
}

/**
 * Makes sure a tfjs backend is active for a run the fused engine cannot take (FusedUnsupportedError):
 * the one activated last, else the first of wasm, webgl, cpu that starts. Its name.
 */
export async function ensureTfjsBackend(): Promise<TfjsBackendName> {
  if (activeTfjs && tf.getBackend() === activeTfjs) return activeTfjs;
  for (const name of FALLBACK_ORDER) if (await tryBackend(name)) return name;
  throw new Error('no tfjs backend could start');
}

/** Activates the chosen engine (or the best available) and says which runs and why; auto measures on `params`. */
export async function activateBackend(choice: BackendChoice, params?: Params): Promise<ActiveBackend> {
  if (choice === 'auto' && params) {
    const measured = await autoBackend(params);
    if (measured) return measured;
  }
  const failures: string[] = [];
  let preface: string;
  let order: BackendName[];
  if (choice === 'auto') {
    const probe = await probeWebGpu();
    preface = `auto: ${probe.why}`;
    order = probe.hardware ? ['webgpu', 'fused', ...FALLBACK_ORDER] : ['fused', ...FALLBACK_ORDER];
  } else {
    preface = 'chosen';
    // Without a WebGPU device the fused GPU step's nearest engine is the fused CPU one.
    const next: BackendName[] = choice === 'webgpu-fused' ? ['fused', ...FALLBACK_ORDER] : FALLBACK_ORDER.filter((b) => b !== choice);
    order = [choice, ...next];
  }
  for (const name of order) {
    if (await tryBackend(name)) {
      const failed = failures.length ? `; ${failures.join(', ')} failed to start` : '';
      return { name, reason: `${preface}${failed}, using ${name}${await fusedNote(name)}` };
    }
    failures.push(name);
  }
  throw new Error(`no tfjs backend could start (${failures.join(', ')})`);
}

/** ", TypeScript kernel (no WebAssembly SIMD)" when the fused engine runs without its wasm module; the fused GPU step's adapter. */
async function fusedNote(name: BackendName): Promise<string> {
  if (name === 'webgpu-fused') {
    const gpu = fusedGpu();
    return gpu ? ` (${gpu.description}${gpu.fallback ? ', a software adapter: slow' : ''})` : '';
  }
  if (name !== 'fused') return '';
  const { note } = await loadFusedKernels();
  return note ? ` (${note})` : '';
}

/** A run of the current preset to time (no Session I); image and custom data time the same model on XOR. */
async function measurementEngine(name: BackendName, params: Params): Promise<TrainEngine> {
  const p: Params = isGeneratedDataset(params.dataset) ? params : { ...params, dataset: 'xor' };
  const source = hostDataFor(p, null, null);
  if (!source.training) throw new Error(source.reason ?? 'no data');
  const spec = { ...specFromParams(p, 2, source.outputSize, source.head), pretrainSteps: 0 };
  if (name === 'webgpu-fused') {
    const gpu = fusedGpu();
    if (!gpu) throw new Error(fusedGpuUnavailableReason());
    return gpuFusedEngine(spec, source.training, gpu, (await loadFusedKernels()).factory);
  }
  return name === 'fused' ? fusedEngine(spec, source.training, (await loadFusedKernels()).factory) : tfjsEngine(spec, source.training);
}

/**
 * Times fused, the fused GPU step and tfjs-WebGPU (hardware adapters only) and tfjs-wasm on the
 * preset and activates the fastest; null when none could be measured. WebGPU is timed before
 * wasm, so that wasm is the active tfjs backend (the fused engine's fallback) unless WebGPU wins.
 */
async function autoBackend(params: Params): Promise<ActiveBackend | null> {
  const probe = await probeWebGpu();
  const measurements: EngineMeasurement[] = [];
  const preset = specFromParams(params);
  for (const name of ['fused', 'webgpu', 'webgpu-fused', 'wasm'] as const) {
    if ((name === 'webgpu' || name === 'webgpu-fused') && !probe.hardware) {
      measurements.push({ name, stepsPerSecond: null, why: probe.why });
      continue;
    }
    const declined = name === 'webgpu-fused' ? gpuUnsupportedReason(preset.model, preset.train) : null;
    if (declined) {
      measurements.push({ name, stepsPerSecond: null, why: `not covered: ${declined}` });
      continue;
    }
    let engine: TrainEngine | null = null;
    try {
      if (!(await tryBackend(name))) throw new Error('failed to start');
      engine = await measurementEngine(name, params);
      measurements.push({ name, stepsPerSecond: await measureEngine(engine, MEASURE_MS[name] ?? 100) });
    } catch (e) {
      measurements.push({ name, stepsPerSecond: null, why: errorMessage(e) });
    } finally {
      engine?.dispose();
    }
  }
  const pick = pickFastest(measurements);
  if (!pick || !(await tryBackend(pick.name))) return null;
  return { name: pick.name, reason: `${pick.reason}${await fusedNote(pick.name)}` };
}
