/**
 * The fused step in plain TypeScript: the fallback for browsers without WebAssembly SIMD, and,
 * built on Float64Array, the float64 reference the gradient checks difference against. It
 * mirrors assembly/index.ts call for call on the same memory plan (word index = byte offset / 4).
 * Over 300 lines because it is that kernel's twin: keeping the two line-for-line comparable is
 * what makes a difference between them easy to find.
 */
import type { FusedKernel } from './kernel';
import { DESC, LAYER } from './layout';

const RELU = 0;
const TANH = 1;
const SIGMOID = 2;
const ELU = 4;

function act(code: number, x: number): number {
  switch (code) {
    case RELU:
      return x > 0 ? x : 0;
    case TANH:
      return Math.tanh(x);
    case SIGMOID:
      return 1 / (1 + Math.exp(-x));
    case ELU:
      return x >= 0 ? x : Math.exp(x) - 1;
    default:
      return x;
  }
}

function dAct(code: number, y: number): number {
  switch (code) {
    case RELU:
      return y > 0 ? 1 : 0;
    case TANH:
      return 1 - y * y;
    case SIGMOID:
      return y * (1 - y);
    case ELU:
      return y >= 0 ? 1 : y + 1;
    default:
      return 1;
  }
}

/** A kernel on plain typed arrays; precision 32 stores float32 (the fallback), 64 float64 (the reference). */
export function tsKernel(precision: 32 | 64): FusedKernel {
  let F: Float32Array | Float64Array = precision === 32 ? new Float32Array(0) : new Float64Array(0);
  /** One float32 rounding in the float32 build (a store does the others); identity in float64. */
  const round = precision === 32 ? Math.fround : (x: number) => x;
  let I = new Int32Array(0);
  let d = 0; // descriptor word index

  const di = (k: number) => I[d + k];
  /** Descriptor pointer as a word index. */
  const dw = (k: number) => I[d + k] >> 2;
  const lw = (l: number, k: number) => I[d + DESC.layerBase + l * DESC.layerStride + k] >> 2;
  const li = (l: number, k: number) => I[d + DESC.layerBase + l * DESC.layerStride + k];
  const gw = (c: number, j: number) => I[d + DESC.innerBase + c * DESC.innerStride + j] >> 2;
  const gs = (k: number) => I[d + DESC.gSizes + k];
  const gradOf = (w: number) => w - dw(DESC.params) + dw(DESC.grads);
  /** Word index of the scratch block; same map as assembly/index.ts (bytes / 4): acts +0/+64/+128, deltas +192/+256, out +320, input gradient +324. */
  const scratch = () => dw(DESC.scratch);

  function rowAffine(inp: number, nIn: number, W: number, b: number, out: number, nOut: number): void {
    for (let j = 0; j < nOut; j++) F[out + j] = 0;
    for (let i = 0; i < nIn; i++) {
      const a = F[inp + i];
      if (a === 0) continue;
      const row = W + i * nOut;
      for (let j = 0; j < nOut; j++) F[out + j] += a * F[row + j];
    }
    for (let j = 0; j < nOut; j++) F[out + j] += F[b + j];
  }

  function rowOuter(inp: number, nIn: number, dv: number, nOut: number, dW: number): void {
    for (let i = 0; i < nIn; i++) {
      const a = F[inp + i];
      if (a === 0) continue;
      const row = dW + i * nOut;
      for (let j = 0; j < nOut; j++) F[row + j] += a * F[dv + j];
    }
  }

  function dot(a: number, b: number, n: number): number {
    let s = 0;
    for (let j = 0; j < n; j++) s += F[a + j] * F[b + j];
    return s;
  }

  function addTo(y: number, x: number, n: number): void {
    for (let j = 0; j < n; j++) F[y + j] += F[x + j];
  }

  function gForwardRow(c: number, inp: number, a0: number, a1: number, a2: number, out: number): void {
    const K = di(DESC.innerDepth);
    const code = di(DESC.innerAct);
    let x = inp;
    let nx = gs(0);
    for (let k = 0; k < K; k++) {
      const w = gs(k + 1);
      const buf = k === 0 ? a0 : k === 1 ? a1 : a2;
      rowAffine(x, nx, gw(c, 2 * k), gw(c, 2 * k + 1), buf, w);
      for (let j = 0; j < w; j++) F[buf + j] = act(code, F[buf + j]);
      x = buf;
      nx = w;
    }
    F[out] = dot(x, gw(c, 2 * K), nx) + F[gw(c, 2 * K + 1)];
  }

  function gBackwardRow(c: number, inp: number, a0: number, a1: number, a2: number, dOut: number, dIn: number, learn: boolean): void {
    const K = di(DESC.innerDepth);
    const code = di(DESC.innerAct);
    let dcur = scratch() + 192;
    let dnext = scratch() + 256;
    const xK = K === 1 ? a0 : K === 2 ? a1 : a2;
    const nK = gs(K);
    const WK = gw(c, 2 * K);
    if (learn) {
      const g = gradOf(WK);
      for (let i = 0; i < nK; i++) F[g + i] += dOut * F[xK + i];
      F[gradOf(gw(c, 2 * K + 1))] += dOut;
    }
    for (let i = 0; i < nK; i++) F[dcur + i] = F[WK + i] * dOut * dAct(code, F[xK + i]);
    for (let k = K - 1; k >= 0; k--) {
      const x = k === 0 ? inp : k === 1 ? a0 : a1;
      const nIn = gs(k);
      const nOut = gs(k + 1);
      const W = gw(c, 2 * k);
      if (learn) {
        rowOuter(x, nIn, dcur, nOut, gradOf(W));
        addTo(gradOf(gw(c, 2 * k + 1)), dcur, nOut);
      }
      if (k > 0) {
        for (let i = 0; i < nIn; i++) {
          const dv = dAct(code, F[x + i]);
          F[dnext + i] = dv !== 0 ? dot(dcur, W + i * nOut, nOut) * dv : 0;
        }
        [dcur, dnext] = [dnext, dcur];
      } else {
        for (let i = 0; i < nIn; i++) F[dIn + i] = dot(dcur, W + i * nOut, nOut);
      }
    }
  }

  const perUnitOf = () => di(DESC.perUnit);
  const widthOf = (l: number) => li(l, LAYER.units) * Math.max(1, perUnitOf());
  const layerInput = (l: number, useMask: number) => (l === 0 ? dw(DESC.x) : useMask ? lw(l - 1, LAYER.h) : lw(l - 1, LAYER.apre));
  const layerInputWidth = (l: number) => (l === 0 ? di(DESC.input) : li(l - 1, LAYER.units));
  const copyOf = (l: number) => (di(DESC.shared) ? 0 : l);
  /** Row m of g's hidden activation buffer k of layer l (unused slots point at word 0). */
  const gActRow = (l: number, k: number, m: number) => (k < di(DESC.innerDepth) ? lw(l, LAYER.gAct + k) + m * gs(k + 1) : 0);

  function forward(n: number, useMask: number): void {
    const L = di(DESC.layers);
    const p = perUnitOf();
    for (let l = 0; l < L; l++) {
      const U = li(l, LAYER.units);
      const N = widthOf(l);
      const inp = layerInput(l, useMask);
      const nIn = layerInputWidth(l);
      const z = lw(l, LAYER.z);
      for (let r = 0; r < n; r++) rowAffine(inp + r * nIn, nIn, lw(l, LAYER.w), lw(l, LAYER.b), z + r * N, N);
      if (di(DESC.layerNorm)) {
        const sdp = lw(l, LAYER.sd);
        for (let r = 0; r < n; r++) {
          const row = z + r * N;
          let mean = 0;
          for (let j = 0; j < N; j++) mean += F[row + j];
          mean /= N;
          let v = 0;
          for (let j = 0; j < N; j++) v += (F[row + j] - mean) ** 2;
          const sd = Math.sqrt(v / N + 1e-5);
          F[sdp + r] = sd;
          for (let j = 0; j < N; j++) F[row + j] = (F[row + j] - mean) / sd;
        }
      }
      const apre = lw(l, LAYER.apre);
      const rows = n * U;
      if (p === 0) {
        const code = di(DESC.fixedAct);
        for (let m = 0; m < rows; m++) F[apre + m] = act(code, F[z + m]);
      } else {
        const c = copyOf(l);
        for (let m = 0; m < rows; m++) gForwardRow(c, z + m * p, gActRow(l, 0, m), gActRow(l, 1, m), gActRow(l, 2, m), apre + m);
      }
      if (useMask) {
        const h = lw(l, LAYER.h);
        const mask = lw(l, LAYER.mask);
        for (let m = 0; m < rows; m++) F[h + m] = F[apre + m] * F[mask + m];
      }
    }
    const C = di(DESC.output);
    const inp = layerInput(L, useMask);
    const nIn = layerInputWidth(L);
    for (let r = 0; r < n; r++) rowAffine(inp + r * nIn, nIn, dw(DESC.outW), dw(DESC.outB), dw(DESC.logits) + r * C, C);
  }

  function headLossGrad(n: number): number {
    const head = di(DESC.head);
    const C = di(DESC.output);
    const logits = dw(DESC.logits);
    const dl = dw(DESC.dlogits);
    const y = dw(DESC.y);
    let total = 0;
    for (let r = 0; r < n; r++) {
      if (head === 0) {
        const z = F[logits + r];
        const t = F[y + r];
        total += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        F[dl + r] = (1 / (1 + Math.exp(-z)) - t) / n;
      } else if (head === 1) {
        const row = logits + r * C;
        let mx = -Infinity;
        for (let j = 0; j < C; j++) mx = Math.max(mx, F[row + j]);
        let s = 0;
        for (let j = 0; j < C; j++) s += Math.exp(F[row + j] - mx);
        const label = F[y + r] | 0;
        total += mx + Math.log(s) - F[row + label];
        for (let j = 0; j < C; j++) F[dl + r * C + j] = (Math.exp(F[row + j] - mx) / s - (j === label ? 1 : 0)) / n;
      } else {
        // float32 like the WebAssembly kernel and tfjs: a squared error past float32's range is
        // Infinity there, so the fallback must not report a finite loss (NaN/Infinity pauses a run).
        const diff = round(F[logits + r] - F[y + r]);
        total += round(diff * diff);
        F[dl + r] = (2 * diff) / n;
      }
    }
    return total / n;
  }

  function backward(n: number, useMask: number, learnInner: boolean): void {
    const L = di(DESC.layers);
    const p = perUnitOf();
    const C = di(DESC.output);
    const dl = dw(DESC.dlogits);
    {
      const inp = layerInput(L, useMask);
      const nIn = layerInputWidth(L);
      const W = dw(DESC.outW);
      const dh = L > 0 ? lw(L - 1, LAYER.dh) : 0;
      for (let r = 0; r < n; r++) {
        rowOuter(inp + r * nIn, nIn, dl + r * C, C, gradOf(W));
        addTo(gradOf(dw(DESC.outB)), dl + r * C, C);
        if (L > 0) for (let i = 0; i < nIn; i++) F[dh + r * nIn + i] = dot(dl + r * C, W + i * C, C);
      }
    }
    for (let l = L - 1; l >= 0; l--) {
      const U = li(l, LAYER.units);
      const N = widthOf(l);
      const z = lw(l, LAYER.z);
      const dz = lw(l, LAYER.dz);
      const dh = lw(l, LAYER.dh);
      const apre = lw(l, LAYER.apre);
      const mask = lw(l, LAYER.mask);
      const rows = n * U;
      for (let m = 0; m < rows; m++) {
        const g = useMask ? F[dh + m] * F[mask + m] : F[dh + m];
        if (p === 0) {
          F[dz + m] = g * dAct(di(DESC.fixedAct), F[apre + m]);
        } else if (g === 0) {
          for (let i = 0; i < p; i++) F[dz + m * p + i] = 0;
        } else {
          gBackwardRow(copyOf(l), z + m * p, gActRow(l, 0, m), gActRow(l, 1, m), gActRow(l, 2, m), g, dz + m * p, learnInner);
        }
      }
      if (di(DESC.layerNorm)) {
        const sdp = lw(l, LAYER.sd);
        for (let r = 0; r < n; r++) {
          const y = z + r * N;
          const dy = dz + r * N;
          let s1 = 0;
          let s2 = 0;
          for (let j = 0; j < N; j++) {
            s1 += F[dy + j];
            s2 += F[dy + j] * F[y + j];
          }
          const m1 = s1 / N;
          const m2 = s2 / N;
          for (let j = 0; j < N; j++) F[dy + j] = (F[dy + j] - m1 - F[y + j] * m2) / F[sdp + r];
        }
      }
      const inp = layerInput(l, useMask);
      const nIn = layerInputWidth(l);
      const W = lw(l, LAYER.w);
      const prevDh = l > 0 ? lw(l - 1, LAYER.dh) : 0;
      for (let r = 0; r < n; r++) {
        rowOuter(inp + r * nIn, nIn, dz + r * N, N, gradOf(W));
        addTo(gradOf(lw(l, LAYER.b)), dz + r * N, N);
        if (l > 0) for (let i = 0; i < nIn; i++) F[prevDh + r * nIn + i] = dot(dz + r * N, W + i * N, N);
      }
    }
  }

  function l2Matrix(W: number, count: number, l2: number): number {
    const g = gradOf(W);
    let s = 0;
    for (let i = 0; i < count; i++) {
      s += F[W + i] * F[W + i];
      F[g + i] += l2 * F[W + i];
    }
    return s;
  }

  function l2Penalty(l2: number, learnInner: boolean): number {
    const L = di(DESC.layers);
    let s = 0;
    for (let l = 0; l < L; l++) s += l2Matrix(lw(l, LAYER.w), li(l, LAYER.fanIn) * widthOf(l), l2);
    s += l2Matrix(dw(DESC.outW), layerInputWidth(L) * di(DESC.output), l2);
    if (learnInner && perUnitOf() > 0 && L > 0) {
      const copies = di(DESC.shared) ? 1 : L;
      const K = di(DESC.innerDepth);
      for (let c = 0; c < copies; c++) for (let k = 0; k <= K; k++) s += l2Matrix(gw(c, 2 * k), gs(k) * gs(k + 1), l2);
    }
    return (l2 / 2) * s;
  }

  return {
    kind: precision === 32 ? 'ts32' : 'ts64',
    heapBase: () => 16,
    reserve(bytes) {
      const words = Math.ceil(bytes / 4);
      if (words <= F.length) return;
      const nf = precision === 32 ? new Float32Array(words) : new Float64Array(words);
      nf.set(F);
      const ni = precision === 32 ? new Int32Array(nf.buffer) : new Int32Array(words);
      if (precision === 64) ni.set(I);
      F = nf;
      I = ni;
    },
    floats: () => F,
    ints: () => I,
    configure(desc) {
      d = desc >> 2;
    },
    forward,
    lossGrad(n, useMask, learnInner, l2, gradCount) {
      F.fill(0, dw(DESC.grads), dw(DESC.grads) + gradCount);
      forward(n, useMask);
      let loss = headLossGrad(n);
      backward(n, useMask, learnInner !== 0);
      if (l2 > 0) loss += l2Penalty(l2, learnInner !== 0);
      return loss;
    },
    gEval(c, inp, rows, out) {
      const p = gs(0);
      for (let m = 0; m < rows; m++) gForwardRow(c, (inp >> 2) + m * p, scratch(), scratch() + 64, scratch() + 128, (out >> 2) + m);
    },
    gLossGrad(c, inp, target, rows, gradStart, gradCount) {
      const g0 = dw(DESC.grads) + gradStart;
      F.fill(0, g0, g0 + gradCount);
      const p = gs(0);
      const [a0, a1, a2] = [scratch(), scratch() + 64, scratch() + 128];
      const out = scratch() + 320;
      let total = 0;
      for (let m = 0; m < rows; m++) {
        const x = (inp >> 2) + m * p;
        gForwardRow(c, x, a0, a1, a2, out);
        const diff = F[out] - F[(target >> 2) + m];
        total += diff * diff;
        gBackwardRow(c, x, a0, a1, a2, (2 * diff) / rows, out + 4, true);
      }
      return total / rows;
    },
    adam(start, count, b1, omb1, b2, omb2, epsHat, stepSize) {
      const P = dw(DESC.params) + start;
      const G = dw(DESC.grads) + start;
      const M = dw(DESC.slot1) + start;
      const S = dw(DESC.slot2) + start;
      for (let i = 0; i < count; i++) {
        const g = F[G + i];
        const m = F[M + i] * b1 + g * omb1;
        const s = F[S + i] * b2 + g * g * omb2;
        F[M + i] = m;
        F[S + i] = s;
        F[P + i] -= (m / (Math.sqrt(s) + epsHat)) * stepSize;
      }
    },
    sgd(start, count, lr, momentum) {
      const P = dw(DESC.params) + start;
      const G = dw(DESC.grads) + start;
      const V = dw(DESC.slot1) + start;
      for (let i = 0; i < count; i++) {
        const v = F[V + i] * momentum + F[G + i];
        F[V + i] = v;
        F[P + i] -= v * lr;
      }
    },
  };
}
