/**
 * What the WebGPU fused step covers, and its memory plan. The parameter block of every run is
 * the CPU fused engine's (layout.ts: every variable in the tfjs Network's order), so moving a run
 * between the CPU kernel and the GPU one is a copy of three blocks (weights, Adam m / SGD velocity,
 * Adam s). Per run, the GPU holds [params | slot1 | slot2 | grads] and a scratch block of
 * activations and deltas for one batch; both strides are fixed per (model, batch size).
 */
import { validateModelConfig, type ModelConfig, type TrainConfig } from '../../config';
import { ACT_CODES, planLayout, type FusedLayout } from '../layout';

/** Largest batch the GPU step is planned for (the playground's controls stop at 512). */
export const GPU_MAX_BATCH = 1024;
/** Largest scratch block per run, in floats (32 MiB): bigger models stay on the CPU engine. */
export const GPU_MAX_SCRATCH_FLOATS = 8 * 1024 * 1024;

/**
 * Why the GPU step cannot train this model, or null when it can. Covered: binary head, any
 * fixed activation (relu, tanh, sigmoid, linear) or a learned g (two-argument or one-argument,
 * depth 1-3, width up to 64, shared or per layer, inner relu/tanh/sigmoid/elu), LayerNorm (no
 * affine) or none, 1-8 hidden layers, Adam or SGD with momentum, L2, Session III (g frozen),
 * batches up to GPU_MAX_BATCH. Not covered (the CPU engine trains these): dropout, multi-class
 * and regression heads, no hidden layer.
 */
export function gpuUnsupportedReason(model: ModelConfig, train?: TrainConfig): string | null {
  let config: ModelConfig;
  try {
    config = validateModelConfig(model);
  } catch (e) {
    return e instanceof Error ? e.message : 'invalid model';
  }
  if (config.head !== 'binary') return `the ${config.head} head`;
  if (config.dropout > 0) return 'dropout';
  if (config.hidden.length === 0) return 'a model without hidden layers';
  if (train) {
    if (train.batchSize > GPU_MAX_BATCH) return `batches over ${GPU_MAX_BATCH}`;
    if (scratchFloats(config, train.batchSize) > GPU_MAX_SCRATCH_FLOATS) return 'a model this large';
  }
  return null;
}

export interface GpuLayerPlan {
  units: number;
  fanIn: number;
  /** Pre-activations per example (units x arguments per unit). */
  width: number;
  /** Float offsets inside a run's scratch block: z (after LayerNorm; unused for a fixed activation without it), sd (LayerNorm only), ... */
  z: number;
  sd: number;
  a: number;
  dh: number;
  dz: number;
  gAct: number[];
  /** Float offsets of the layer's weight matrix and bias in the parameter block. */
  w: number;
  b: number;
  /** Which g copy the layer uses (learned only). */
  copy: number;
}

export interface GpuPlan {
  config: ModelConfig;
  /** The CPU engine's layout of the parameter block (its variables' offsets are what matter here). */
  layout: FusedLayout;
  batch: number;
  /** 0 for a fixed activation, else g's arguments per unit. */
  perUnit: 0 | 1 | 2;
  paramCount: number;
  /** Floats per run in the state buffer: params, slot1, slot2, grads. */
  stateStride: number;
  /** Floats per run in the scratch buffer. */
  scratchStride: number;
  layers: GpuLayerPlan[];
  /** Float offsets (in scratch) of the logits, their gradients, and g's two delta buffers. */
  logits: number;
  dlogits: number;
  delta: [number, number];
  /** Output layer's weights and bias in the parameter block. */
  outW: number;
  outB: number;
  /** g's layer sizes [inputs, ...hidden, 1] ([] for fixed activations). */
  gSizes: number[];
  /** Per g copy, per g layer: float offsets of W and b in the parameter block. */
  inner: { w: number; b: number }[][];
  /** Whether g learns (false in Session III: only the outer weights train, g is frozen). */
  learnInner: boolean;
  /** Floats of the parameter block the optimizer updates (all, or the outer weights only). */
  trainableCount: number;
  /** Parameter ranges [start, end) that L2 applies to (every trainable weight matrix, no bias). */
  matrices: [number, number][];
  fixedAct: number;
  innerAct: number;
}

function scratchFloats(config: ModelConfig, batch: number): number {
  return planGpu(config, batch).scratchStride;
}

/** The memory plan for one model trained with batches of `batch` rows (see gpuUnsupportedReason first). */
export function planGpu(model: ModelConfig, batch: number, learnInner = true): GpuPlan {
  const config = validateModelConfig(model);
  const layout = planLayout(config, 1, 0);
  const perUnit = layout.perUnit;
  const gSizes = layout.gSizes;
  let cursor = 0;
  // Every block starts on a 4-float boundary (16 bytes): not needed for f32 access, kept for vector loads later.
  const take = (floats: number) => {
    const at = cursor;
    cursor += Math.ceil(floats / 4) * 4;
    return at;
  };
  const varAt = (v: number) => layout.variables[v].offset;
  const copies = layout.innerCopies;
  const perCopy = gSizes.length > 0 ? 2 * (gSizes.length - 1) : 0;
  const inner: { w: number; b: number }[][] = [];
  for (let c = 0; c < copies; c++) {
    const layers: { w: number; b: number }[] = [];
    for (let k = 0; k + 1 < gSizes.length; k++) {
      const v = layout.outerVariableCount + c * perCopy + 2 * k;
      layers.push({ w: varAt(v), b: varAt(v + 1) });
    }
    inner.push(layers);
  }
  const layers: GpuLayerPlan[] = layout.layers.map((lp, l) => {
    const rows = batch * lp.units;
    const plan: GpuLayerPlan = {
      units: lp.units,
      fanIn: lp.fanIn,
      width: lp.width,
      z: perUnit === 0 && !config.layerNorm ? 0 : take(batch * lp.width),
      sd: config.layerNorm ? take(batch) : 0,
      a: take(rows),
      dh: take(rows),
      dz: take(batch * lp.width),
      gAct: [],
      w: varAt(2 * l),
      b: varAt(2 * l + 1),
      copy: config.innerShared ? 0 : l,
    };
    for (let k = 1; k + 1 < gSizes.length; k++) plan.gAct.push(take(rows * gSizes[k]));
    return plan;
  });
  const logits = take(batch);
  const dlogits = take(batch);
  const maxRows = Math.max(0, ...layers.map((l) => batch * l.units));
  const maxWidth = Math.max(0, ...gSizes.slice(1, -1));
  const delta: [number, number] = perUnit === 0 ? [0, 0] : [take(maxRows * maxWidth), take(maxRows * maxWidth)];
  const L = config.hidden.length;
  const matrices: [number, number][] = [];
  const trainableVariables = learnInner ? layout.variables.length : layout.outerVariableCount;
  for (let v = 0; v < trainableVariables; v += 2) matrices.push([varAt(v), varAt(v) + layout.variables[v].size]);
  return {
    config,
    layout,
    batch,
    perUnit,
    paramCount: layout.paramCount,
    stateStride: 4 * layout.paramCount,
    scratchStride: Math.max(4, cursor),
    layers,
    logits,
    dlogits,
    delta,
    outW: varAt(2 * L),
    outB: varAt(2 * L + 1),
    gSizes,
    inner,
    learnInner: learnInner && perUnit > 0,
    trainableCount: learnInner ? layout.paramCount : layout.outerParamCount,
    matrices,
    fixedAct: perUnit === 0 ? ACT_CODES[config.kind as 'relu' | 'tanh' | 'sigmoid' | 'linear'] : 0,
    innerAct: ACT_CODES[config.inner.activation],
  };
}
