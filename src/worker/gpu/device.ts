/// <reference types="@webgpu/types" />
/**
 * Getting a WebGPU device for the fused GPU step, and saying what adapter it is on. A software
 * adapter (SwiftShader) is fine for checking results and 50-80x too slow to train on
 * (shared/browser.md): callers decide with `fallback`.
 */

export interface FusedGpuDevice {
  device: GPUDevice;
  /** True on a software/fallback adapter (SwiftShader). */
  fallback: boolean;
  /** "vendor architecture" in words, for the badge and the bench rows. */
  description: string;
}

/** A device, or null (and why) when this browser has no usable WebGPU. */
export async function requestFusedGpuDevice(): Promise<{ gpu: FusedGpuDevice | null; why: string }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { gpu: null, why: 'no WebGPU in this browser' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    adapter = null;
  }
  if (!adapter) return { gpu: null, why: 'no WebGPU adapter' };
  // `info` is newer than the installed @webgpu/types (which has requestAdapterInfo): read it loosely.
  const info = (adapter as { info?: { vendor?: string; architecture?: string } }).info;
  const arch = info?.architecture ?? '';
  const fallback = Boolean((adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter) || /swiftshader/i.test(arch);
  try {
    const device = await adapter.requestDevice();
    const description = [info?.vendor, arch].filter(Boolean).join(' ') || 'unknown adapter';
    return { gpu: { device, fallback, description }, why: description };
  } catch (e) {
    return { gpu: null, why: `the WebGPU device did not start (${e instanceof Error ? e.message : String(e)})` };
  }
}
