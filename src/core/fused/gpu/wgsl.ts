/**
 * The WebGPU fused step as WGSL source, generated for one GpuPlan (sizes and offsets become
 * constants, layers are unrolled). One workgroup trains one run: forward, the hand-derived
 * backward and the Adam/SGD update of one step are phases separated by barriers inside a
 * single dispatch, and a dispatch loops over several steps; dispatching N workgroups advances N
 * runs of the same model at once (compare mode's seeds). Each phase mirrors tsKernel.ts and
 * assembly/index.ts, including the order in which sums are accumulated, so float32 results
 * agree with the CPU engine to rounding. Plain string building: no DOM, no WebGPU types here.
 * Over 300 lines because the phases of one step are one shader: generated apart, their shared
 * offsets and barriers would have to be passed around and kept in sync by hand.
 */
import type { GpuLayerPlan, GpuPlan } from './gpuPlan';

/** Invocations per workgroup (one workgroup per run). */
export const WORKGROUP_SIZE = 64;
/** Bytes between the per-dispatch uniform blocks (WebGPU's minUniformBufferOffsetAlignment default). */
export const DISPATCH_UNIFORM_STRIDE = 256;
/** Floats per run per step in the hyper buffer: [Adam step size | SGD lr, Adam epsilon-hat | SGD momentum, L2, 0 Adam / 1 SGD]. */
export const HYPER_WORDS = 4;
/** Floats per run in the report buffer: [last step's loss (with the L2 penalty), squared weight norm after it, 0, 0]. */
export const REPORT_WORDS = 4;
/** Adam's decay rates as the CPU kernels receive them (float32). */
const ADAM = { b1: Math.fround(0.9), omb1: Math.fround(1 - 0.9), b2: Math.fround(0.999), omb2: Math.fround(1 - 0.999) };

/** A float32 literal WGSL reads back exactly. */
function f32(x: number): string {
  const v = Math.fround(x);
  if (!Number.isFinite(v)) throw new Error(`not a finite float: ${x}`);
  const s = v.toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function u(n: number): string {
  return `${n >>> 0}u`;
}

/** WGSL of an activation and its derivative from the output, for ACT_CODES (see tsKernel.ts act/dAct). */
function activationFns(name: string, code: number): string {
  const bodies: Record<number, [string, string]> = {
    0: ['select(0.0, x, x > 0.0)', 'select(0.0, 1.0, y > 0.0)'],
    // tanh(x) rounds to +-1 in float32 beyond |x| ~ 9; the clamp keeps some drivers' exp-based tanh finite.
    1: ['tanh(clamp(x, -15.0, 15.0))', '1.0 - y * y'],
    2: ['1.0 / (1.0 + exp(-x))', 'y * (1.0 - y)'],
    3: ['x', '1.0'],
    4: ['select(exp(x) - 1.0, x, x >= 0.0)', 'select(y + 1.0, 1.0, y >= 0.0)'],
  };
  const [f, df] = bodies[code];
  return `fn ${name}(x: f32) -> f32 { return ${f}; }\nfn d${name}(y: f32) -> f32 { return ${df}; }\n`;
}

/** Where a phase reads an input row from: the training data (through the batch's indices) or scratch. */
type Source = { kind: 'data' } | { kind: 'scratch'; at: number };

const P = (i: string) => `state[sb + ${i}]`;
const G = (i: string) => `state[gb + ${i}]`;
const S = (i: string) => `scratch[kb + ${i}]`;

/** Base index of row `row` (an expression) of a source with `width` floats per row, and the element accessor. */
function rowOf(src: Source, row: string, width: number): { base: string; at: (i: string) => string } {
  if (src.kind === 'data') return { base: `batches[bb + ${row}] * ${u(width)}`, at: (i) => `data[${i}]` };
  return { base: `${u(src.at)} + ${row} * ${u(width)}`, at: (i) => S(i) };
}

/**
 * out[row, j] = act(sum_i in[row, i] * W[i, j] + b[j]) for rows x nOut, parallel over outputs;
 * the sum starts at 0 and adds the bias last, as rowAffine does.
 */
function affine(o: {
  rows: number;
  nIn: number;
  nOut: number;
  src: Source;
  w: number;
  b: number;
  out: number;
  act: string | null;
}): string {
  const { base, at } = rowOf(o.src, 'row', o.nIn);
  const value = o.act ? `${o.act}(acc + ${P(`${u(o.b)} + j`)})` : `acc + ${P(`${u(o.b)} + j`)}`;
  return `
  for (var t = lid; t < ${u(o.rows * o.nOut)}; t += WG) {
    let row = t / ${u(o.nOut)};
    let j = t - row * ${u(o.nOut)};
    let ib = ${base};
    var acc = 0.0;
    for (var i = 0u; i < ${u(o.nIn)}; i++) { acc += ${at('ib + i')} * ${P(`${u(o.w)} + i * ${u(o.nOut)} + j`)}; }
    ${S(`${u(o.out)} + t`)} = ${value};
  }`;
}

/**
 * Weight gradients of an affine map, accumulated over rows in row order (rowOuter):
 * dW[i, j] += in[row, i] * d[row, j]; db[j] += d[row, j].
 */
function affineGrads(o: { rows: number; nIn: number; nOut: number; src: Source; d: number; w: number; b: number }): string {
  const { base, at } = rowOf(o.src, 'row', o.nIn);
  return `
  for (var t = lid; t < ${u(o.nIn * o.nOut)}; t += WG) {
    let i = t / ${u(o.nOut)};
    let j = t - i * ${u(o.nOut)};
    var g = ${G(`${u(o.w)} + t`)};
    for (var row = 0u; row < ${u(o.rows)}; row++) { g += ${at(`${base} + i`)} * ${S(`${u(o.d)} + row * ${u(o.nOut)} + j`)}; }
    ${G(`${u(o.w)} + t`)} = g;
  }
  for (var j = lid; j < ${u(o.nOut)}; j += WG) {
    var g = ${G(`${u(o.b)} + j`)};
    for (var row = 0u; row < ${u(o.rows)}; row++) { g += ${S(`${u(o.d)} + row * ${u(o.nOut)} + j`)}; }
    ${G(`${u(o.b)} + j`)} = g;
  }`;
}

/**
 * The gradient flowing back through W: back[row, i] = sum_j d[row, j] * W[i, j] (dot in j order),
 * times dAct(act[row, i]) when `dAct` is given (zero where dAct is zero, as gBackwardRow skips).
 */
function backThrough(o: {
  rows: number;
  nIn: number;
  nOut: number;
  d: number;
  w: number;
  out: number;
  dAct?: { fn: string; at: number };
}): string {
  const scale = o.dAct
    ? `
    let da = d${o.dAct.fn}(${S(`${u(o.dAct.at)} + t`)});
    ${S(`${u(o.out)} + t`)} = select(0.0, acc * da, da != 0.0);`
    : `
    ${S(`${u(o.out)} + t`)} = acc;`;
  return `
  for (var t = lid; t < ${u(o.rows * o.nIn)}; t += WG) {
    let row = t / ${u(o.nIn)};
    let i = t - row * ${u(o.nIn)};
    var acc = 0.0;
    for (var j = 0u; j < ${u(o.nOut)}; j++) { acc += ${S(`${u(o.d)} + row * ${u(o.nOut)} + j`)} * ${P(`${u(o.w)} + i * ${u(o.nOut)} + j`)}; }${scale}
  }`;
}

const BARRIER = '\n  storageBarrier();';

/**
 * LayerNorm without affine over each row's pre-activations, in place (as the kernels: mean, then
 * the variance around it, sd = sqrt(var + 1e-5)); a fixed activation is applied in the same pass.
 */
function layerNormForward(B: number, l: GpuLayerPlan, fixed: boolean): string {
  const N = l.width;
  return `
  for (var row = lid; row < ${u(B)}; row += WG) {
    let zb = ${u(l.z)} + row * ${u(N)};
    var mean = 0.0;
    for (var j = 0u; j < ${u(N)}; j++) { mean += ${S('zb + j')}; }
    mean = mean / ${f32(N)};
    var v = 0.0;
    for (var j = 0u; j < ${u(N)}; j++) { let d = ${S('zb + j')} - mean; v += d * d; }
    let sd = sqrt(v / ${f32(N)} + 1e-5);
    ${S(`${u(l.sd)} + row`)} = sd;
    for (var j = 0u; j < ${u(N)}; j++) {
      let y = (${S('zb + j')} - mean) / sd;
      ${S('zb + j')} = y;${
        fixed
          ? `
      ${S(`${u(l.a)} + row * ${u(N)} + j`)} = actFixed(y);`
          : ''
      }
    }
  }`;
}

/** The gradient through LayerNorm, in place on dz: (dy - mean(dy) - y * mean(dy * y)) / sd. */
function layerNormBackward(B: number, l: GpuLayerPlan): string {
  const N = l.width;
  return `
  for (var row = lid; row < ${u(B)}; row += WG) {
    let zb = ${u(l.z)} + row * ${u(N)};
    let db = ${u(l.dz)} + row * ${u(N)};
    var s1 = 0.0;
    var s2 = 0.0;
    for (var j = 0u; j < ${u(N)}; j++) { let d = ${S('db + j')}; s1 += d; s2 += d * ${S('zb + j')}; }
    let m1 = s1 * ${f32(1 / N)};
    let m2 = s2 * ${f32(1 / N)};
    let sd = ${S(`${u(l.sd)} + row`)};
    for (var j = 0u; j < ${u(N)}; j++) { ${S('db + j')} = (${S('db + j')} - m1 - ${S('zb + j')} * m2) / sd; }
  }`;
}

function forwardPass(plan: GpuPlan): string {
  const parts: string[] = [];
  const B = plan.batch;
  const D = plan.config.inputSize;
  let src: Source = { kind: 'data' };
  let nIn = D;
  plan.layers.forEach((l, li) => {
    parts.push(`\n  // layer ${li}: affine`);
    const ln = plan.config.layerNorm;
    if (plan.perUnit === 0 && !ln) {
      parts.push(affine({ rows: B, nIn, nOut: l.units, src, w: l.w, b: l.b, out: l.a, act: 'actFixed' }) + BARRIER);
    } else {
      parts.push(affine({ rows: B, nIn, nOut: l.width, src, w: l.w, b: l.b, out: l.z, act: null }) + BARRIER);
      if (ln) parts.push(layerNormForward(B, l, plan.perUnit === 0) + BARRIER);
    }
    if (plan.perUnit > 0) {
      const E = B * l.units;
      const g = plan.inner[l.copy];
      const gs = plan.gSizes;
      const K = gs.length - 2;
      for (let k = 0; k <= K; k++) {
        const gsrc: Source = { kind: 'scratch', at: k === 0 ? l.z : l.gAct[k - 1] };
        const out = k === K ? l.a : l.gAct[k];
        parts.push(`\n  // layer ${li}: g layer ${k}`);
        parts.push(
          affine({ rows: E, nIn: gs[k], nOut: gs[k + 1], src: gsrc, w: g[k].w, b: g[k].b, out, act: k === K ? null : 'actInner' }) +
            BARRIER,
        );
      }
    }
    src = { kind: 'scratch', at: l.a };
    nIn = l.units;
  });
  parts.push('\n  // output layer');
  parts.push(affine({ rows: B, nIn, nOut: 1, src, w: plan.outW, b: plan.outB, out: plan.logits, act: null }) + BARRIER);
  return parts.join('');
}

/** Binary cross-entropy on the logits: dlogits = (sigmoid(z) - y) / B; the loss sum is kept for the report. */
function lossPass(plan: GpuPlan): string {
  const B = plan.batch;
  return `
  // loss and its gradient
  for (var row = lid; row < ${u(B)}; row += WG) {
    let z = ${S(`${u(plan.logits)} + row`)};
    let y = data[u.yBase + batches[bb + row]];
    ${S(`${u(plan.dlogits)} + row`)} = (1.0 / (1.0 + exp(-z)) - y) / ${f32(B)};
    let e = exp(-abs(z));
    lossPart += max(z, 0.0) - z * y + select(log(1.0 + e), e - 0.5 * e * e, e < 1e-4);
  }
  if (reporting) {
    for (var i = lid; i < ${u(plan.paramCount)}; i += WG) {
      if (isMatrix(i)) { let w = ${P('i')}; l2Part += w * w; }
    }
  }${BARRIER}`;
}

function backwardPass(plan: GpuPlan): string {
  const parts: string[] = [];
  const B = plan.batch;
  const L = plan.layers.length;
  const last = plan.layers[L - 1];
  parts.push('\n  // output layer: gradients, and the gradient into the last hidden layer');
  parts.push(
    affineGrads({ rows: B, nIn: last.units, nOut: 1, src: { kind: 'scratch', at: last.a }, d: plan.dlogits, w: plan.outW, b: plan.outB }),
  );
  parts.push(backThrough({ rows: B, nIn: last.units, nOut: 1, d: plan.dlogits, w: plan.outW, out: last.dh }) + BARRIER);
  for (let li = L - 1; li >= 0; li--) {
    const l = plan.layers[li];
    const E = B * l.units;
    if (plan.perUnit === 0) {
      parts.push(`\n  // layer ${li}: through the fixed activation
  for (var t = lid; t < ${u(E)}; t += WG) { ${S(`${u(l.dz)} + t`)} = ${S(`${u(l.dh)} + t`)} * dactFixed(${S(`${u(l.a)} + t`)}); }${BARRIER}`);
    } else {
      const g = plan.inner[l.copy];
      const gs = plan.gSizes;
      const K = gs.length - 2;
      const learn = plan.learnInner;
      // g's last layer: out = A[K-1] . W_K + b_K, its delta is dh itself.
      const wK = gs[K];
      parts.push(`\n  // layer ${li}: g's output layer`);
      if (learn)
        parts.push(affineGrads({ rows: E, nIn: wK, nOut: 1, src: { kind: 'scratch', at: l.gAct[K - 1] }, d: l.dh, w: g[K].w, b: g[K].b }));
      parts.push(`
  for (var t = lid; t < ${u(E * wK)}; t += WG) {
    let e = t / ${u(wK)};
    let i = t - e * ${u(wK)};
    ${S(`${u(plan.delta[0])} + t`)} = ${P(`${u(g[K].w)} + i`)} * ${S(`${u(l.dh)} + e`)} * dactInner(${S(`${u(l.gAct[K - 1])} + t`)});
  }${BARRIER}`);
      let cur = 0;
      for (let k = K - 1; k >= 0; k--) {
        const nIn = gs[k];
        const nOut = gs[k + 1];
        const src: Source = { kind: 'scratch', at: k === 0 ? l.z : l.gAct[k - 1] };
        parts.push(`\n  // layer ${li}: g layer ${k} backward`);
        if (learn) parts.push(affineGrads({ rows: E, nIn, nOut, src, d: plan.delta[cur], w: g[k].w, b: g[k].b }));
        if (k > 0) {
          parts.push(
            backThrough({
              rows: E,
              nIn,
              nOut,
              d: plan.delta[cur],
              w: g[k].w,
              out: plan.delta[1 - cur],
              dAct: { fn: 'actInner', at: l.gAct[k - 1] },
            }),
          );
        } else {
          parts.push(backThrough({ rows: E, nIn, nOut, d: plan.delta[cur], w: g[k].w, out: l.dz }));
        }
        parts.push(BARRIER);
        cur = 1 - cur;
      }
    }
    if (plan.config.layerNorm) parts.push(layerNormBackward(B, l) + BARRIER);
    const prev = li > 0 ? plan.layers[li - 1] : null;
    const src: Source = prev ? { kind: 'scratch', at: prev.a } : { kind: 'data' };
    const nIn = prev ? prev.units : plan.config.inputSize;
    parts.push(`\n  // layer ${li}: affine gradients`);
    parts.push(affineGrads({ rows: B, nIn, nOut: l.width, src, d: l.dz, w: l.w, b: l.b }));
    if (prev) parts.push(backThrough({ rows: B, nIn, nOut: l.width, d: l.dz, w: l.w, out: prev.dh }));
    parts.push(BARRIER);
  }
  return parts.join('');
}

/** L2 into the gradient (matrices only), then Adam or SGD as the CPU kernels compute them; grads are zeroed for the next step. */
function updatePass(plan: GpuPlan): string {
  const N = plan.paramCount;
  return `
  // update
  {
    let hb = (r * u.chunk + s) * ${u(HYPER_WORDS)};
    let h0 = hyper[hb];
    let h1 = hyper[hb + 1u];
    let l2 = hyper[hb + 2u];
    let sgd = hyper[hb + 3u] != 0.0;
    for (var i = lid; i < ${u(plan.trainableCount)}; i += WG) {
      var g = ${G('i')};
      let w = ${P('i')};
      if (l2 > 0.0 && isMatrix(i)) { g = g + l2 * w; }
      var nw = w;
      if (sgd) {
        let v = state[sb + ${u(N)} + i] * h1 + g;
        state[sb + ${u(N)} + i] = v;
        nw = w - v * h0;
      } else {
        let m = state[sb + ${u(N)} + i] * ${f32(ADAM.b1)} + g * ${f32(ADAM.omb1)};
        let v = state[sb + ${u(2 * N)} + i] * ${f32(ADAM.b2)} + g * g * ${f32(ADAM.omb2)};
        state[sb + ${u(N)} + i] = m;
        state[sb + ${u(2 * N)} + i] = v;
        nw = w - (m / (sqrt(v) + h1)) * h0;
      }
      ${P('i')} = nw;
      ${G('i')} = 0.0;
    }
    if (reporting) {
      for (var i = lid; i < ${u(N)}; i += WG) { let w = ${P('i')}; normPart += w * w; }
      red[lid] = vec4<f32>(lossPart, l2Part, normPart, 0.0);
      workgroupBarrier();
      for (var k = WG / 2u; k > 0u; k = k / 2u) {
        if (lid < k) { red[lid] = red[lid] + red[lid + k]; }
        workgroupBarrier();
      }
      if (lid == 0u) {
        let sums = red[0];
        report[r * ${u(REPORT_WORDS)}] = sums.x / ${f32(plan.batch)} + 0.5 * l2 * sums.y;
        report[r * ${u(REPORT_WORDS)} + 1u] = sums.z;
      }
    }
  }${BARRIER}`;
}

function isMatrixFn(plan: GpuPlan): string {
  const tests = plan.matrices.map(([a, b]) => `(i >= ${u(a)} && i < ${u(b)})`);
  return `fn isMatrix(i: u32) -> bool { return ${tests.length ? tests.join(' || ') : 'false'}; }\n`;
}

/** The complete shader for one plan: entry point `main`, bindings as GpuFusedGroup creates them. */
export function fusedStepWgsl(plan: GpuPlan): string {
  const N = plan.paramCount;
  return `// Fused training step, generated for one model (see src/core/fused/gpu/wgsl.ts).
struct Dispatch { first: u32, steps: u32, chunk: u32, yBase: u32 }
@group(0) @binding(0) var<storage, read_write> state: array<f32>;
@group(0) @binding(1) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(2) var<storage, read> data: array<f32>;
@group(0) @binding(3) var<storage, read> batches: array<u32>;
@group(0) @binding(4) var<storage, read> hyper: array<f32>;
@group(0) @binding(5) var<storage, read_write> report: array<f32>;
@group(0) @binding(6) var<uniform> u: Dispatch;

const WG: u32 = ${u(WORKGROUP_SIZE)};
var<workgroup> red: array<vec4<f32>, ${WORKGROUP_SIZE}>;

${activationFns('actFixed', plan.fixedAct)}${activationFns('actInner', plan.innerAct)}${isMatrixFn(plan)}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wid.x;
  let sb = r * ${u(plan.stateStride)};
  let gb = sb + ${u(3 * N)};
  let kb = r * ${u(plan.scratchStride)};
  let end = u.first + u.steps;
  for (var s = u.first; s < end; s++) {
  let bb = (r * u.chunk + s) * ${u(plan.batch)};
  let reporting = s + 1u == end;
  var lossPart = 0.0;
  var l2Part = 0.0;
  var normPart = 0.0;
${forwardPass(plan)}
${lossPass(plan)}
${backwardPass(plan)}
${updatePass(plan)}
  }
}
`;
}
