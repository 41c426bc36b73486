/**
 * The worker's one WebGPU device for the fused GPU step: started on first use, watched for loss
 * (the runs then move to the CPU fused engine from their last checkpoint, as on tfjs-webgpu:
 * backends.ts), and dropped once lost so that the next start asks for a fresh one.
 */
import { requestFusedGpuDevice, type FusedGpuDevice } from './device';

let current: FusedGpuDevice | null = null;
let starting: Promise<{ gpu: FusedGpuDevice | null; why: string }> | null = null;
let lastWhy = 'not started';

/** The device the fused GPU step runs on, or null when it is not started (or was lost). */
export function fusedGpu(): FusedGpuDevice | null {
  return current;
}

/** Why there is no device (after a failed start). */
export function fusedGpuUnavailableReason(): string {
  return lastWhy;
}

/** Starts the device (once; again after a loss); `onLost` hears when it is lost. Null when WebGPU cannot start. */
export async function startFusedGpu(onLost: (message: string) => void): Promise<FusedGpuDevice | null> {
  if (current) return current;
  starting ??= requestFusedGpuDevice();
  const { gpu, why } = await starting;
  starting = null;
  lastWhy = why;
  if (!gpu) return null;
  current = gpu;
  // A handle for fault injection from the browser tests and for looking at the device from devtools.
  (globalThis as { __fusedGpuDevice?: unknown }).__fusedGpuDevice = gpu.device;
  void gpu.device.lost.then((info) => {
    if (current !== gpu) return;
    current = null;
    lastWhy = `the WebGPU device was lost${info.message ? ` (${info.message})` : ''}`;
    onLost(info.message);
  });
  return gpu;
}
