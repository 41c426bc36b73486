/// <reference types="@webgpu/types" />
/**
 * The WebGPU fused step on a device: the buffers of a group of runs of one model (same
 * architecture and batch size; their own weights, optimizer state and batches), the compiled
 * step, and the async reads. One `train` call is one queue submission: the chunk's batch indices
 * and optimizer constants are uploaded, then a few dispatches of STEPS_PER_DISPATCH steps each,
 * every dispatch one workgroup per run. Reads go through mapAsync only (sync reads return zeros
 * and can lose the device on SwiftShader, shared/browser.md).
 */
import { chunkArrays, fillChunk, type ChunkArrays, type GpuRunCursor } from '../../core/fused/gpu/chunkPlan';
import type { GpuPlan } from '../../core/fused/gpu/gpuPlan';
import type { GpuRunState } from '../../core/fused/gpu/runState';
import { DISPATCH_UNIFORM_STRIDE, fusedStepWgsl, REPORT_WORDS } from '../../core/fused/gpu/wgsl';

/**
 * Steps one dispatch runs: long enough to amortise the dispatch, short enough that no single
 * dispatch of a large model nears a driver's watchdog (about 2 s on some systems).
 */
export const STEPS_PER_DISPATCH = 8;

/** The shared training set of a group: rows [n, inputSize] and labels [n]. */
export interface GpuGroupData {
  x: Float32Array;
  y: Float32Array;
}

const FLOAT = 4;

interface CompiledStep {
  layout: GPUBindGroupLayout;
  pipeline: GPUComputePipeline;
}

/**
 * Compiled steps per device, by WGSL text: the runs of a comparison (and a group that grows as
 * they are built) reuse one pipeline instead of compiling the same shader again (seconds on SwiftShader).
 */
const compiledSteps = new WeakMap<GPUDevice, Map<string, Promise<CompiledStep>>>();

function compiledStep(device: GPUDevice, code: string): Promise<CompiledStep> {
  let byCode = compiledSteps.get(device);
  if (!byCode) compiledSteps.set(device, (byCode = new Map<string, Promise<CompiledStep>>()));
  let step = byCode.get(code);
  if (!step) {
    step = compileStep(device, code);
    // A failed compile is not kept: the next try says why again.
    step.catch(() => byCode.delete(code));
    byCode.set(code, step);
  }
  return step;
}

async function compileStep(device: GPUDevice, code: string): Promise<CompiledStep> {
  const module = await checkedModule(device, code);
  const storage = (type: GPUBufferBindingType) => ({ buffer: { type } });
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, ...storage('storage') },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, ...storage('storage') },
      { binding: 2, visibility: GPUShaderStage.COMPUTE, ...storage('read-only-storage') },
      { binding: 3, visibility: GPUShaderStage.COMPUTE, ...storage('read-only-storage') },
      { binding: 4, visibility: GPUShaderStage.COMPUTE, ...storage('read-only-storage') },
      { binding: 5, visibility: GPUShaderStage.COMPUTE, ...storage('storage') },
      { binding: 6, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } },
    ],
  });
  const pipeline = await device.createComputePipelineAsync({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: 'main' },
  });
  return { layout, pipeline };
}

async function checkedModule(device: GPUDevice, code: string): Promise<GPUShaderModule> {
  const module = device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) throw new Error(`WGSL: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
  return module;
}

export class GpuFusedGroup {
  private readonly arrays: ChunkArrays;
  private destroyed = false;
  /** Queue submissions of training steps so far (one per train call). */
  submissions = 0;
  /** Compute dispatches so far (each STEPS_PER_DISPATCH steps of every run of the group). */
  dispatches = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly plan: GpuPlan,
    readonly runs: number,
    /** Steps one train() call can take. */
    readonly chunkSteps: number,
    private readonly pipeline: GPUComputePipeline,
    private readonly bindGroup: GPUBindGroup,
    private readonly buffers: {
      state: GPUBuffer;
      scratch: GPUBuffer;
      data: GPUBuffer;
      batches: GPUBuffer;
      hyper: GPUBuffer;
      report: GPUBuffer;
      uniforms: GPUBuffer;
    },
    private readonly yBase: number,
  ) {
    this.arrays = chunkArrays(runs, chunkSteps, plan.batch);
  }

  /** Compiles the step for `plan` and allocates `runs` runs (zero weights: write their state before training). */
  static async create(device: GPUDevice, plan: GpuPlan, runs: number, data: GpuGroupData, chunkSteps = 64): Promise<GpuFusedGroup> {
    const n = data.y.length;
    if (data.x.length !== n * plan.config.inputSize)
      throw new Error(`data has ${data.x.length} values for ${n} rows of ${plan.config.inputSize}`);
    if (n < plan.batch) throw new Error(`batch ${plan.batch} is larger than the ${n} training examples`);
    if (runs < 1 || runs > device.limits.maxComputeWorkgroupsPerDimension) throw new Error(`cannot dispatch ${runs} runs`);
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    let compiled: CompiledStep;
    try {
      compiled = await compiledStep(device, fusedStepWgsl(plan));
    } catch (e) {
      await device.popErrorScope();
      await device.popErrorScope();
      throw e;
    }
    const { layout, pipeline } = compiled;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const make = (floats: number, label: string, use = usage) =>
      device.createBuffer({ size: Math.max(16, floats * FLOAT), usage: use, label });
    const dispatches = Math.ceil(chunkSteps / STEPS_PER_DISPATCH);
    const buffers = {
      state: make(runs * plan.stateStride, 'fused state'),
      scratch: make(runs * plan.scratchStride, 'fused scratch'),
      data: make(data.x.length + n, 'fused data'),
      batches: make(runs * chunkSteps * plan.batch, 'fused batches'),
      hyper: make(runs * chunkSteps * 4, 'fused hyper'),
      report: make(runs * REPORT_WORDS, 'fused report'),
      uniforms: device.createBuffer({
        size: dispatches * DISPATCH_UNIFORM_STRIDE,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
        label: 'fused dispatches',
      }),
    };
    const packed = new Float32Array(data.x.length + n);
    packed.set(data.x);
    packed.set(data.y, data.x.length);
    device.queue.writeBuffer(buffers.data, 0, packed);
    const bindGroup = device.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: buffers.state } },
        { binding: 1, resource: { buffer: buffers.scratch } },
        { binding: 2, resource: { buffer: buffers.data } },
        { binding: 3, resource: { buffer: buffers.batches } },
        { binding: 4, resource: { buffer: buffers.hyper } },
        { binding: 5, resource: { buffer: buffers.report } },
        { binding: 6, resource: { buffer: buffers.uniforms, size: 16 } },
      ],
    });
    const oom = await device.popErrorScope();
    const invalid = await device.popErrorScope();
    const failure = invalid ?? oom;
    if (failure) {
      for (const b of Object.values(buffers)) b.destroy();
      throw new Error(`WebGPU: ${failure.message}`);
    }
    return new GpuFusedGroup(device, plan, runs, chunkSteps, pipeline, bindGroup, buffers, data.x.length);
  }

  private assertLive(): void {
    if (this.destroyed) throw new Error('this GPU group was destroyed');
  }

  /** Writes one run's weights and optimizer slots (CPU layout) and clears its gradients. */
  writeRun(run: number, state: GpuRunState): void {
    this.assertLive();
    const P = this.plan.paramCount;
    for (const [name, values] of Object.entries(state) as [keyof GpuRunState, Float32Array][]) {
      if (values.length !== P) throw new Error(`${name}: expected ${P} values, got ${values.length}`);
    }
    const block = new Float32Array(4 * P);
    block.set(state.params, 0);
    block.set(state.slot1, P);
    block.set(state.slot2, 2 * P);
    this.device.queue.writeBuffer(this.buffers.state, run * this.plan.stateStride * FLOAT, block);
  }

  /** Every run's weights and slots, read after the work submitted so far. */
  async readRuns(): Promise<GpuRunState[]> {
    this.assertLive();
    const P = this.plan.paramCount;
    const all = await this.read(this.buffers.state, this.runs * this.plan.stateStride);
    const out: GpuRunState[] = [];
    for (let r = 0; r < this.runs; r++) {
      const at = r * this.plan.stateStride;
      out.push({ params: all.slice(at, at + P), slot1: all.slice(at + P, at + 2 * P), slot2: all.slice(at + 2 * P, at + 3 * P) });
    }
    return out;
  }

  /**
   * Queues `steps` steps of every run (at most chunkSteps): the cursors give each run's batches
   * and optimizer constants and advance. Returns at once; readReport() waits for the result.
   */
  train(cursors: GpuRunCursor[], steps: number): void {
    this.assertLive();
    if (cursors.length !== this.runs) throw new Error(`the group has ${this.runs} runs, got ${cursors.length} cursors`);
    if (steps < 1) return;
    fillChunk(cursors, this.arrays, steps, this.chunkSteps, this.plan.batch);
    const { queue } = this.device;
    queue.writeBuffer(this.buffers.batches, 0, this.arrays.batches);
    queue.writeBuffer(this.buffers.hyper, 0, this.arrays.hyper);
    const dispatches = Math.ceil(steps / STEPS_PER_DISPATCH);
    const uniforms = new Uint32Array((dispatches * DISPATCH_UNIFORM_STRIDE) / 4);
    for (let d = 0; d < dispatches; d++) {
      const first = d * STEPS_PER_DISPATCH;
      uniforms.set([first, Math.min(STEPS_PER_DISPATCH, steps - first), this.chunkSteps, this.yBase], (d * DISPATCH_UNIFORM_STRIDE) / 4);
    }
    queue.writeBuffer(this.buffers.uniforms, 0, uniforms);
    const encoder = this.device.createCommandEncoder({ label: 'fused steps' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipeline);
    for (let d = 0; d < dispatches; d++) {
      pass.setBindGroup(0, this.bindGroup, [d * DISPATCH_UNIFORM_STRIDE]);
      pass.dispatchWorkgroups(this.runs);
    }
    pass.end();
    queue.submit([encoder.finish()]);
    this.submissions += 1;
    this.dispatches += dispatches;
  }

  /** Per run, the last trained step's loss (with the L2 penalty) and the squared weight norm after it. */
  async readReport(): Promise<{ loss: number; norm: number }[]> {
    this.assertLive();
    const words = await this.read(this.buffers.report, this.runs * REPORT_WORDS);
    return Array.from({ length: this.runs }, (_, r) => ({ loss: words[r * REPORT_WORDS], norm: words[r * REPORT_WORDS + 1] }));
  }

  private async read(source: GPUBuffer, floats: number): Promise<Float32Array> {
    const staging = this.device.createBuffer({ size: floats * FLOAT, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(source, 0, staging, 0, floats * FLOAT);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }

  /** Frees the group's buffers (the device stays). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of Object.values(this.buffers)) b.destroy();
  }
}
