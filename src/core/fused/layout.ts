/**
 * The fused engine's memory plan: where every weight, gradient, optimizer slot and activation
 * buffer of one network lives in the kernel's linear memory, sized once for a row capacity, and
 * the i32 descriptor the kernel reads it from. Parameters are stored contiguously in exactly
 * the tfjs Network's variable order (outer W0, b0, ..., Wout, bout, then each g's W0, b0, ...),
 * so export/import is a slice and the optimizer is one call over a range.
 */
import { hasInnerNet, type ModelConfig } from '../config';

/** Descriptor word slots; assembly/index.ts reads the same numbers. */
export const DESC = {
  layers: 0,
  perUnit: 1,
  fixedAct: 2,
  layerNorm: 3,
  head: 4,
  input: 5,
  output: 6,
  innerDepth: 7,
  innerAct: 8,
  shared: 9,
  gT: 10,
  innerStart: 11,
  params: 12,
  grads: 13,
  slot1: 14,
  slot2: 15,
  x: 16,
  y: 17,
  logits: 18,
  dlogits: 19,
  outW: 20,
  outB: 21,
  scratch: 22,
  gSizes: 24,
  layerBase: 32,
  layerStride: 16,
  innerBase: 32 + 8 * 16,
  innerStride: 8,
  words: 32 + 8 * 16 + 8 * 8,
} as const;
export const LAYER = { units: 0, fanIn: 1, w: 2, b: 3, z: 4, sd: 5, apre: 6, h: 7, mask: 8, dh: 9, dz: 10, gAct: 11 } as const;

export const ACT_CODES = { relu: 0, tanh: 1, sigmoid: 2, linear: 3, elu: 4 } as const;
export const HEAD_CODES = { binary: 0, multiclass: 1, regression: 2 } as const;

/** Rows of the buffer g read-outs use (the 64x64 argument grid in one call). */
export const G_ROWS = 4096;
/** One row's temporaries and a block of 4 rows' (the map is in assembly/index.ts). */
const SCRATCH_BYTES = 8192;
const MAX_HIDDEN_LAYERS = 8;

export interface VariableSlot {
  /** Float index of the first value inside the parameter block. */
  offset: number;
  size: number;
  shape: number[];
}

export interface LayerPlan {
  units: number;
  fanIn: number;
  /** Pre-activations per example (units * arguments per unit). */
  width: number;
  /** Byte offsets of the layer's buffers (see LAYER); gAct: g's hidden activations per g layer. */
  z: number;
  sd: number;
  apre: number;
  h: number;
  mask: number;
  dh: number;
  dz: number;
  gAct: number[];
}

export interface FusedLayout {
  config: ModelConfig;
  /** Rows one forward/backward call can hold. */
  capacity: number;
  /** 0 for fixed activations, else g's arguments per unit. */
  perUnit: 0 | 1 | 2;
  /** Every variable in the tfjs Network's order. */
  variables: VariableSlot[];
  /** How many of `variables` are outer (the rest are g's). */
  outerVariableCount: number;
  paramCount: number;
  outerParamCount: number;
  /** Copies of g (0, 1 shared, or one per hidden layer). */
  innerCopies: number;
  /** Sizes of g's layers: [inputs, ...hidden, 1]. */
  gSizes: number[];
  layers: LayerPlan[];
  /** Byte offsets of the blocks the wrapper touches. */
  desc: number;
  params: number;
  grads: number;
  slot1: number;
  slot2: number;
  /** Transposed copies of g's weight matrices (kernel-internal). */
  gT: number;
  x: number;
  y: number;
  logits: number;
  dlogits: number;
  scratch: number;
  gIn: number;
  gOut: number;
  /** Total bytes from `base`. */
  end: number;
}

/** Lays out one network's memory from byte offset `base` (16-aligned blocks). */
export function planLayout(config: ModelConfig, capacity: number, base: number): FusedLayout {
  if (config.hidden.length > MAX_HIDDEN_LAYERS) throw new Error(`at most ${MAX_HIDDEN_LAYERS} hidden layers`);
  const learned = hasInnerNet(config.kind);
  const perUnit: 0 | 1 | 2 = !learned ? 0 : config.kind === 'twoArg' ? 2 : 1;
  const mult = perUnit === 0 ? 1 : perUnit;
  // Plain arithmetic, not bit masks: an oversized plan must stay a large number to be refused.
  const align = (bytes: number) => Math.ceil(bytes / 16) * 16;
  let cursor = align(base);
  const take = (floats: number): number => {
    const at = cursor;
    cursor = align(cursor + floats * 4);
    return at;
  };

  const variables: VariableSlot[] = [];
  let pc = 0;
  const addVar = (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    variables.push({ offset: pc, size, shape });
    pc += size;
  };
  let prev = config.inputSize;
  for (const units of config.hidden) {
    addVar([prev, units * mult]);
    addVar([units * mult]);
    prev = units;
  }
  addVar([prev, config.outputSize]);
  addVar([config.outputSize]);
  const outerVariableCount = variables.length;
  const outerParamCount = pc;
  const gSizes = perUnit === 0 ? [] : [perUnit, ...config.inner.hidden, 1];
  const innerCopies = perUnit === 0 || config.hidden.length === 0 ? 0 : config.innerShared ? 1 : config.hidden.length;
  for (let c = 0; c < innerCopies; c++) {
    for (let k = 0; k + 1 < gSizes.length; k++) {
      addVar([gSizes[k], gSizes[k + 1]]);
      addVar([gSizes[k + 1]]);
    }
  }

  const desc = take(DESC.words);
  const params = take(pc);
  const grads = take(pc);
  const slot1 = take(pc);
  const slot2 = take(pc);
  const gT = take(pc - outerParamCount);
  const x = take(capacity * config.inputSize);
  const y = take(capacity);
  const logits = take(capacity * config.outputSize);
  const dlogits = take(capacity * config.outputSize);
  const scratch = take(SCRATCH_BYTES / 4);
  const gIn = take(G_ROWS * 2);
  const gOut = take(G_ROWS);
  const layers: LayerPlan[] = [];
  prev = config.inputSize;
  for (const units of config.hidden) {
    const width = units * mult;
    const plan: LayerPlan = {
      units,
      fanIn: prev,
      width,
      z: take(capacity * width),
      sd: take(capacity),
      apre: take(capacity * units),
      h: take(capacity * units),
      mask: take(capacity * units),
      dh: take(capacity * units),
      dz: take(capacity * width),
      gAct: [],
    };
    for (let k = 1; k + 1 < gSizes.length; k++) plan.gAct.push(take(capacity * units * gSizes[k]));
    layers.push(plan);
    prev = units;
  }
  return {
    config,
    capacity,
    perUnit,
    variables,
    outerVariableCount,
    paramCount: pc,
    outerParamCount,
    innerCopies,
    gSizes,
    layers,
    desc,
    params,
    grads,
    slot1,
    slot2,
    gT,
    x,
    y,
    logits,
    dlogits,
    scratch,
    gIn,
    gOut,
    end: cursor,
  };
}

/** The descriptor words of a layout, as the kernel reads them. */
export function descriptorOf(layout: FusedLayout): Int32Array {
  const { config } = layout;
  const d = new Int32Array(DESC.words);
  d[DESC.layers] = config.hidden.length;
  d[DESC.perUnit] = layout.perUnit;
  d[DESC.fixedAct] = layout.perUnit === 0 ? ACT_CODES[config.kind as 'relu' | 'tanh' | 'sigmoid' | 'linear'] : 0;
  d[DESC.layerNorm] = config.layerNorm ? 1 : 0;
  d[DESC.head] = HEAD_CODES[config.head];
  d[DESC.input] = config.inputSize;
  d[DESC.output] = config.outputSize;
  d[DESC.innerDepth] = layout.perUnit === 0 ? 0 : config.inner.hidden.length;
  d[DESC.innerAct] = ACT_CODES[config.inner.activation];
  d[DESC.shared] = config.innerShared ? 1 : 0;
  d[DESC.params] = layout.params;
  d[DESC.grads] = layout.grads;
  d[DESC.slot1] = layout.slot1;
  d[DESC.slot2] = layout.slot2;
  d[DESC.gT] = layout.gT;
  d[DESC.innerStart] = layout.params + layout.outerParamCount * 4;
  d[DESC.x] = layout.x;
  d[DESC.y] = layout.y;
  d[DESC.logits] = layout.logits;
  d[DESC.dlogits] = layout.dlogits;
  d[DESC.scratch] = layout.scratch;
  layout.gSizes.forEach((s, k) => (d[DESC.gSizes + k] = s));
  const paramByte = (v: number) => layout.params + layout.variables[v].offset * 4;
  const L = config.hidden.length;
  layout.layers.forEach((plan, l) => {
    const at = DESC.layerBase + l * DESC.layerStride;
    d[at + LAYER.units] = plan.units;
    d[at + LAYER.fanIn] = plan.fanIn;
    d[at + LAYER.w] = paramByte(2 * l);
    d[at + LAYER.b] = paramByte(2 * l + 1);
    d[at + LAYER.z] = plan.z;
    d[at + LAYER.sd] = plan.sd;
    d[at + LAYER.apre] = plan.apre;
    d[at + LAYER.h] = plan.h;
    d[at + LAYER.mask] = plan.mask;
    d[at + LAYER.dh] = plan.dh;
    d[at + LAYER.dz] = plan.dz;
    plan.gAct.forEach((p, k) => (d[at + LAYER.gAct + k] = p));
  });
  d[DESC.outW] = paramByte(2 * L);
  d[DESC.outB] = paramByte(2 * L + 1);
  const perCopy = layout.gSizes.length > 0 ? 2 * (layout.gSizes.length - 1) : 0;
  for (let c = 0; c < layout.innerCopies; c++) {
    for (let j = 0; j < perCopy; j++) d[DESC.innerBase + c * DESC.innerStride + j] = paramByte(layout.outerVariableCount + c * perCopy + j);
  }
  return d;
}
