/**
 * The fused CPU engine's kernel (AssemblyScript, compiled with SIMD128): forward, hand-derived
 * backward, L2 and the Adam/SGD update of the playground's networks on preallocated linear memory.
 * The memory plan (src/core/fused/layout.ts) lives in a descriptor of i32 words; slot numbers
 * below must match DESC there. Nothing here allocates: the wrapper sizes memory once.
 */

// ---- descriptor slots (keep in sync with src/core/fused/layout.ts DESC) ----
const D_LAYERS = 0;
const D_PER_UNIT = 1; // 0 = fixed activation, 1 = oneArg, 2 = twoArg
const D_FIXED_ACT = 2;
const D_LN = 3;
const D_HEAD = 4;
const D_INPUT = 5;
const D_OUTPUT = 6;
const D_INNER_DEPTH = 7; // hidden layers of g (1-3)
const D_INNER_ACT = 8;
const D_SHARED = 9;
const D_GT = 10; // transposed copies of g's weight matrices (for the backward pass)
const D_INNER_START = 11; // byte address of g's first parameter
const D_PARAMS = 12;
const D_GRADS = 13;
const D_SLOT1 = 14;
const D_SLOT2 = 15;
const D_X = 16;
const D_Y = 17;
const D_LOGITS = 18;
const D_DLOGITS = 19;
const D_OUT_W = 20;
const D_OUT_B = 21;
const D_SCRATCH = 22;
const D_G_SIZES = 24; // s[0..K+1]: inputs, hidden widths, 1
const LAYER_BASE = 32;
const LAYER_STRIDE = 16;
const L_UNITS = 0;
const L_FAN_IN = 1;
const L_W = 2;
const L_B = 3;
const L_Z = 4; // pre-activations after LayerNorm [n, width]
const L_SD = 5; // LayerNorm standard deviation per row [n]
const L_APRE = 6; // activation output before dropout [n, units]
const L_H = 7; // after dropout [n, units]
const L_MASK = 8;
const L_DH = 9; // gradient w.r.t. the layer's output h [n, units]
const L_DZ = 10; // gradient w.r.t. z [n, width]
const L_GACT = 11; // 3 slots: g's hidden activations [n * units, s[k+1]]
const INNER_BASE = LAYER_BASE + 8 * LAYER_STRIDE;
const INNER_STRIDE = 8; // W0, b0, W1, b1, ... of one copy of g

// activation codes
const RELU = 0;
const TANH = 1;
const SIGMOID = 2;
const LINEAR = 3;
const ELU = 4;

/**
 * The scratch block (D_SCRATCH, 8192 bytes; SCRATCH_BYTES in layout.ts) holds one row's
 * temporaries: +0/+256/+512 g's hidden activations (read-outs and Session I), +768/+1024 the
 * deltas of the backward pass, +1280 one output, +1296 one input gradient, +1536 64 zeros (a bias
 * of nothing); and a block of 4 rows' (g evaluated 4 rows at a time, see "g: 4 rows at a time"):
 * +2048/+3072 the deltas, +4096/+5120/+6144 the hidden activations (read-outs and Session I),
 * +7168 4 outputs, +7184 4 upstream gradients, +7200 4 input gradients (2 floats each).
 */
const S_ZEROS: usize = 1536;
const S_D4: usize = 2048;
const S_N4: usize = 3072;
const S_A4: usize = 4096;
const S_OUT4: usize = 7168;
const S_G4: usize = 7184;
const S_DIN4: usize = 7200;
let desc: usize = 0;

@inline function di(k: i32): i32 {
  return load<i32>(desc + (<usize>k << 2));
}
@inline function dp(k: i32): usize {
  return <usize>load<u32>(desc + (<usize>k << 2));
}
@inline function lp(l: i32, k: i32): usize {
  return dp(LAYER_BASE + l * LAYER_STRIDE + k);
}
@inline function li(l: i32, k: i32): i32 {
  return di(LAYER_BASE + l * LAYER_STRIDE + k);
}
/** Pointer to weight/bias array j (2k = W_k, 2k+1 = b_k) of copy c of g. */
@inline function gp(c: i32, j: i32): usize {
  return dp(INNER_BASE + c * INNER_STRIDE + j);
}
@inline function gs(k: i32): i32 {
  return di(D_G_SIZES + k);
}
/** The transposed copy of g's weight matrix at W. */
@inline function transposedOf(W: usize): usize {
  return W - dp(D_INNER_START) + dp(D_GT);
}
/** The gradient of the parameter at p (gradients mirror the parameters). */
@inline function gradOf(p: usize): usize {
  return p - dp(D_PARAMS) + dp(D_GRADS);
}
@inline function f(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function setf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}

export function heapBase(): usize {
  return __heap_base;
}

export function configure(descriptor: usize): void {
  desc = descriptor;
}

// ---- SIMD building blocks ----

/** y[0..n) += a * x[0..n) */
@inline function axpy(y: usize, x: usize, a: f32, n: i32): void {
  const va = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v128.load(x + o), va)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** y[0..n) += x[0..n) */
@inline function addTo(y: usize, x: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; j < n; j++) s += f(a, j) * f(b, j);
  return s;
}

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}

/**
 * out[0..nOut) = in[0..nIn) W + b, W row-major [nIn, nOut]; zero inputs (ReLU) are skipped.
 * Output blocks of 16 stay in four v128 accumulators across the whole input loop.
 */
function rowAffine(inp: usize, nIn: i32, W: usize, b: usize, out: usize, nOut: i32): void {
  if (nOut == 1) {
    store<f32>(out, dot(inp, W, nIn) + (b ? load<f32>(b) : 0));
    return;
  }
  if (!b) b = dp(D_SCRATCH) + S_ZEROS;
  const stride = <usize>nOut << 2;
  let j = 0;
  for (; j + 16 <= nOut; j += 16) {
    const o = <usize>j << 2;
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let w = W + o;
    for (let i = 0; i < nIn; i++, w += stride) {
      const x = f(inp, i);
      if (x == 0) continue;
      const vx = f32x4.splat(x);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w), vx));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), vx));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), vx));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), vx));
    }
    const ob = out + o;
    const bb = b + o;
    v128.store(ob, f32x4.add(a0, v128.load(bb)));
    v128.store(ob, f32x4.add(a1, v128.load(bb, 16)), 16);
    v128.store(ob, f32x4.add(a2, v128.load(bb, 32)), 32);
    v128.store(ob, f32x4.add(a3, v128.load(bb, 48)), 48);
  }
  for (; j + 4 <= nOut; j += 4) {
    const o = <usize>j << 2;
    let a0 = f32x4.splat(0);
    let w = W + o;
    for (let i = 0; i < nIn; i++, w += stride) {
      const x = f(inp, i);
      if (x != 0) a0 = f32x4.add(a0, f32x4.mul(v128.load(w), f32x4.splat(x)));
    }
    v128.store(out + o, f32x4.add(a0, v128.load(b + o)));
  }
  for (; j < nOut; j++) {
    let s: f32 = 0;
    for (let i = 0; i < nIn; i++) s += f(inp, i) * f(W, i * nOut + j);
    setf(out, j, s + f(b, j));
  }
}

/** dW += in^T d (one row), skipping zero inputs; blocks of 16 of d stay in registers. */
function rowOuter(inp: usize, nIn: i32, d: usize, nOut: i32, dW: usize): void {
  const stride = <usize>nOut << 2;
  let j = 0;
  for (; j + 16 <= nOut; j += 16) {
    const o = <usize>j << 2;
    const d0 = v128.load(d + o);
    const d1 = v128.load(d + o, 16);
    const d2 = v128.load(d + o, 32);
    const d3 = v128.load(d + o, 48);
    let w = dW + o;
    for (let i = 0; i < nIn; i++, w += stride) {
      const x = f(inp, i);
      if (x == 0) continue;
      const vx = f32x4.splat(x);
      v128.store(w, f32x4.add(v128.load(w), f32x4.mul(d0, vx)));
      v128.store(w, f32x4.add(v128.load(w, 16), f32x4.mul(d1, vx)), 16);
      v128.store(w, f32x4.add(v128.load(w, 32), f32x4.mul(d2, vx)), 32);
      v128.store(w, f32x4.add(v128.load(w, 48), f32x4.mul(d3, vx)), 48);
    }
  }
  if (j == nOut) return;
  const rest = nOut - j;
  const tail = <usize>j << 2;
  for (let i = 0; i < nIn; i++) {
    const a = f(inp, i);
    if (a != 0) axpy(dW + <usize>i * stride + tail, d + tail, a, rest);
  }
}

// ---- 4 rows at a time (register blocking) ----
// g is applied to every unit of every example, so its rows come in thousands, all through the
// same small matrices. One row at a time, a 64x64 layer streams the whole 16 KB matrix per row
// (and loads and stores the whole 16 KB gradient per row in the backward pass), so the kernel was
// bound by loads and stores, far below the SIMD arithmetic peak. Four rows at once keep a
// 4 rows x 8 columns block of accumulators (or of deltas) in registers, so each weight vector
// loaded serves 4 rows and each gradient vector is loaded and stored once per 4 rows. The sums
// keep the one-row order (inputs in order, rows in order), so results match the one-row kernel
// up to the sign of zeros. Zero inputs (dead ReLUs) are not skipped here: a branch per input
// costs more than the multiply-adds it saves once 4 rows must all be zero.

/**
 * out[r, 0..nOut) = in[r, 0..nIn) W + b for the 4 rows r = 0..3 of a block (rows contiguous:
 * strides nIn and nOut floats); W row-major [nIn, nOut]; b = 0 for no bias.
 */
function affine4(inp: usize, nIn: i32, W: usize, b: usize, out: usize, nOut: i32): void {
  if (!b) b = dp(D_SCRATCH) + S_ZEROS; // 64 zeros
  const sIn = <usize>nIn << 2;
  const sOut = <usize>nOut << 2;
  const x1 = inp + sIn;
  const x2 = x1 + sIn;
  const x3 = x2 + sIn;
  const o1 = out + sOut;
  const o2 = o1 + sOut;
  const o3 = o2 + sOut;
  let j = 0;
  for (; j + 8 <= nOut; j += 8) {
    const o = <usize>j << 2;
    let a00 = f32x4.splat(0);
    let a01 = a00;
    let a10 = a00;
    let a11 = a00;
    let a20 = a00;
    let a21 = a00;
    let a30 = a00;
    let a31 = a00;
    let w = W + o;
    for (let i = 0; i < nIn; i++, w += sOut) {
      const oi = <usize>i << 2;
      const w0 = v128.load(w);
      const w1 = v128.load(w, 16);
      let v = v128.load32_splat(inp + oi);
      a00 = f32x4.add(a00, f32x4.mul(w0, v));
      a01 = f32x4.add(a01, f32x4.mul(w1, v));
      v = v128.load32_splat(x1 + oi);
      a10 = f32x4.add(a10, f32x4.mul(w0, v));
      a11 = f32x4.add(a11, f32x4.mul(w1, v));
      v = v128.load32_splat(x2 + oi);
      a20 = f32x4.add(a20, f32x4.mul(w0, v));
      a21 = f32x4.add(a21, f32x4.mul(w1, v));
      v = v128.load32_splat(x3 + oi);
      a30 = f32x4.add(a30, f32x4.mul(w0, v));
      a31 = f32x4.add(a31, f32x4.mul(w1, v));
    }
    const b0 = v128.load(b + o);
    const b1 = v128.load(b + o, 16);
    v128.store(out + o, f32x4.add(a00, b0));
    v128.store(out + o, f32x4.add(a01, b1), 16);
    v128.store(o1 + o, f32x4.add(a10, b0));
    v128.store(o1 + o, f32x4.add(a11, b1), 16);
    v128.store(o2 + o, f32x4.add(a20, b0));
    v128.store(o2 + o, f32x4.add(a21, b1), 16);
    v128.store(o3 + o, f32x4.add(a30, b0));
    v128.store(o3 + o, f32x4.add(a31, b1), 16);
  }
  if (j + 4 <= nOut) {
    const o = <usize>j << 2;
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let w = W + o;
    for (let i = 0; i < nIn; i++, w += sOut) {
      const oi = <usize>i << 2;
      const w0 = v128.load(w);
      a0 = f32x4.add(a0, f32x4.mul(w0, v128.load32_splat(inp + oi)));
      a1 = f32x4.add(a1, f32x4.mul(w0, v128.load32_splat(x1 + oi)));
      a2 = f32x4.add(a2, f32x4.mul(w0, v128.load32_splat(x2 + oi)));
      a3 = f32x4.add(a3, f32x4.mul(w0, v128.load32_splat(x3 + oi)));
    }
    const b0 = v128.load(b + o);
    v128.store(out + o, f32x4.add(a0, b0));
    v128.store(o1 + o, f32x4.add(a1, b0));
    v128.store(o2 + o, f32x4.add(a2, b0));
    v128.store(o3 + o, f32x4.add(a3, b0));
    j += 4;
  }
  for (; j < nOut; j++) {
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    for (let i = 0; i < nIn; i++) {
      const w = f(W, i * nOut + j);
      s0 += f(inp, i) * w;
      s1 += f(x1, i) * w;
      s2 += f(x2, i) * w;
      s3 += f(x3, i) * w;
    }
    const bj = f(b, j);
    setf(out, j, s0 + bj);
    setf(o1, j, s1 + bj);
    setf(o2, j, s2 + bj);
    setf(o3, j, s3 + bj);
  }
}

/**
 * dW += in^T d over the 4 rows of a block (rows contiguous: strides nIn and nOut floats), rows
 * added in order: dW[i, :] += in[0, i] d[0, :] + ... + in[3, i] d[3, :], each gradient vector
 * loaded and stored once per block while a 4 x 8 block of d stays in registers.
 */
function outer4(inp: usize, nIn: i32, d: usize, nOut: i32, dW: usize): void {
  const sIn = <usize>nIn << 2;
  const sOut = <usize>nOut << 2;
  const x1 = inp + sIn;
  const x2 = x1 + sIn;
  const x3 = x2 + sIn;
  let j = 0;
  for (; j + 8 <= nOut; j += 8) {
    const o = <usize>j << 2;
    const r0 = d + o;
    const r1 = r0 + sOut;
    const r2 = r1 + sOut;
    const r3 = r2 + sOut;
    const d00 = v128.load(r0);
    const d01 = v128.load(r0, 16);
    const d10 = v128.load(r1);
    const d11 = v128.load(r1, 16);
    const d20 = v128.load(r2);
    const d21 = v128.load(r2, 16);
    const d30 = v128.load(r3);
    const d31 = v128.load(r3, 16);
    let w = dW + o;
    for (let i = 0; i < nIn; i++, w += sOut) {
      const oi = <usize>i << 2;
      let t0 = v128.load(w);
      let t1 = v128.load(w, 16);
      let v = v128.load32_splat(inp + oi);
      t0 = f32x4.add(t0, f32x4.mul(d00, v));
      t1 = f32x4.add(t1, f32x4.mul(d01, v));
      v = v128.load32_splat(x1 + oi);
      t0 = f32x4.add(t0, f32x4.mul(d10, v));
      t1 = f32x4.add(t1, f32x4.mul(d11, v));
      v = v128.load32_splat(x2 + oi);
      t0 = f32x4.add(t0, f32x4.mul(d20, v));
      t1 = f32x4.add(t1, f32x4.mul(d21, v));
      v = v128.load32_splat(x3 + oi);
      t0 = f32x4.add(t0, f32x4.mul(d30, v));
      t1 = f32x4.add(t1, f32x4.mul(d31, v));
      v128.store(w, t0);
      v128.store(w, t1, 16);
    }
  }
  if (j + 4 <= nOut) {
    const o = <usize>j << 2;
    const r0 = d + o;
    const d0 = v128.load(r0);
    const d1 = v128.load(r0 + sOut);
    const d2 = v128.load(r0 + 2 * sOut);
    const d3 = v128.load(r0 + 3 * sOut);
    let w = dW + o;
    for (let i = 0; i < nIn; i++, w += sOut) {
      const oi = <usize>i << 2;
      let t = v128.load(w);
      t = f32x4.add(t, f32x4.mul(d0, v128.load32_splat(inp + oi)));
      t = f32x4.add(t, f32x4.mul(d1, v128.load32_splat(x1 + oi)));
      t = f32x4.add(t, f32x4.mul(d2, v128.load32_splat(x2 + oi)));
      t = f32x4.add(t, f32x4.mul(d3, v128.load32_splat(x3 + oi)));
      v128.store(w, t);
    }
    j += 4;
  }
  for (; j < nOut; j++) {
    const e0 = f(d, j);
    const e1 = f(d + sOut, j);
    const e2 = f(d + 2 * sOut, j);
    const e3 = f(d + 3 * sOut, j);
    for (let i = 0; i < nIn; i++) {
      const k = i * nOut + j;
      setf(dW, k, f(dW, k) + f(inp, i) * e0 + f(x1, i) * e1 + f(x2, i) * e2 + f(x3, i) * e3);
    }
  }
}

@inline function actOf(code: i32, x: f32): f32 {
  if (code == RELU) return x > 0 ? x : 0;
  if (code == TANH) return Mathf.tanh(x);
  if (code == SIGMOID) return 1 / (1 + Mathf.exp(-x));
  // elu in double: exp(x) - 1 in float32 loses the digits near 0.
  if (code == ELU) return x >= 0 ? x : <f32>(Math.exp(<f64>x) - 1);
  return x;
}

/** Derivative of the activation, from its output y (as tfjs' gradients compute it). */
@inline function dActOf(code: i32, y: f32): f32 {
  if (code == RELU) return y > 0 ? 1 : 0;
  if (code == TANH) return 1 - y * y;
  if (code == SIGMOID) return y * (1 - y);
  if (code == ELU) return y >= 0 ? 1 : y + 1;
  return 1;
}

function applyAct(code: i32, p: usize, n: i32): void {
  if (code == LINEAR) return;
  if (code == RELU) {
    const z = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(p + o, f32x4.max(v128.load(p + o), z));
    }
    for (; j < n; j++) setf(p, j, actOf(RELU, f(p, j)));
    return;
  }
  for (let j = 0; j < n; j++) setf(p, j, actOf(code, f(p, j)));
}

/** d[i] *= act'(y[i]) from the activation's outputs y (SIMD for all but elu). */
function applyDAct(code: i32, d: usize, y: usize, n: i32): void {
  if (code == LINEAR) return;
  let j = 0;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (code == RELU) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(d + o, v128.and(v128.load(d + o), f32x4.gt(v128.load(y + o), zero)));
    }
  } else if (code == TANH) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const v = v128.load(y + o);
      v128.store(d + o, f32x4.mul(v128.load(d + o), f32x4.sub(one, f32x4.mul(v, v))));
    }
  } else if (code == SIGMOID) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const v = v128.load(y + o);
      v128.store(d + o, f32x4.mul(v128.load(d + o), f32x4.mul(v, f32x4.sub(one, v))));
    }
  }
  for (; j < n; j++) setf(d, j, f(d, j) * dActOf(code, f(y, j)));
}

// ---- g: one row at a time ----

/** Row pointers of g's hidden activations for row m of layer l's buffers (or the scratch rows). */
@inline function gActRow(base: usize, k: i32, m: i32): usize {
  return base + <usize>m * (<usize>gs(k + 1) << 2);
}

/**
 * g forward for one row: inp (s[0] values) -> out (one value). a0..a2 receive the hidden
 * activations (row pointers).
 */
function gForwardRow(c: i32, inp: usize, a0: usize, a1: usize, a2: usize, out: usize): void {
  const K = di(D_INNER_DEPTH);
  const code = di(D_INNER_ACT);
  let x = inp;
  let nx = gs(0);
  for (let k = 0; k < K; k++) {
    const buf = k == 0 ? a0 : k == 1 ? a1 : a2;
    const w = gs(k + 1);
    rowAffine(x, nx, gp(c, 2 * k), gp(c, 2 * k + 1), buf, w);
    applyAct(code, buf, w);
    x = buf;
    nx = w;
  }
  store<f32>(out, dot(x, gp(c, 2 * K), nx) + load<f32>(gp(c, 2 * K + 1)));
}

/**
 * g backward for one row, given dOut = dLoss/dg. Accumulates g's gradients when `learn`,
 * writes dLoss/dinput (s[0] values) to dIn. Scratch d1, d2 hold 64 floats each.
 */
function gBackwardRow(c: i32, inp: usize, a0: usize, a1: usize, a2: usize, dOut: f32, dIn: usize, learn: bool): void {
  const K = di(D_INNER_DEPTH);
  const code = di(D_INNER_ACT);
  const scratch = dp(D_SCRATCH);
  let dcur = scratch + 768;
  let dnext = scratch + 1024;
  // Final layer (width 1): its input is the last hidden activation.
  const xK = K == 1 ? a0 : K == 2 ? a1 : a2;
  const nK = gs(K);
  const WK = gp(c, 2 * K);
  if (learn) {
    axpy(gradOf(WK), xK, dOut, nK);
    const gb = gradOf(gp(c, 2 * K + 1));
    store<f32>(gb, load<f32>(gb) + dOut);
  }
  {
    const v = f32x4.splat(dOut);
    let i = 0;
    for (; i + 4 <= nK; i += 4) v128.store(dcur + (<usize>i << 2), f32x4.mul(v128.load(WK + (<usize>i << 2)), v));
    for (; i < nK; i++) setf(dcur, i, f(WK, i) * dOut);
    applyDAct(code, dcur, xK, nK);
  }
  for (let k = K - 1; k >= 0; k--) {
    const x = k == 0 ? inp : k == 1 ? a0 : a1;
    const nIn = gs(k);
    const nOut = gs(k + 1);
    const W = gp(c, 2 * k);
    if (learn) {
      rowOuter(x, nIn, dcur, nOut, gradOf(W));
      addTo(gradOf(gp(c, 2 * k + 1)), dcur, nOut);
    }
    // dLoss/dx = dcur W^T as a row times the transposed matrix: zero entries of dcur (dead
    // ReLUs in the layer above) are skipped and no horizontal sums are needed.
    const WT = transposedOf(W);
    if (k > 0) {
      rowAffine(dcur, nOut, WT, 0, dnext, nIn);
      applyDAct(code, dnext, x, nIn);
      const t = dcur;
      dcur = dnext;
      dnext = t;
    } else {
      rowAffine(dcur, nOut, WT, 0, dIn, nIn);
    }
  }
}

// ---- g: 4 rows at a time ----

/**
 * g forward for the 4 rows of a block: inp (4 x s[0], contiguous) -> out (4 values). a0..a2
 * receive the hidden activations (4 contiguous rows each).
 */
function gForward4(c: i32, inp: usize, a0: usize, a1: usize, a2: usize, out: usize): void {
  const K = di(D_INNER_DEPTH);
  const code = di(D_INNER_ACT);
  let x = inp;
  let nx = gs(0);
  for (let k = 0; k < K; k++) {
    const buf = k == 0 ? a0 : k == 1 ? a1 : a2;
    const w = gs(k + 1);
    affine4(x, nx, gp(c, 2 * k), gp(c, 2 * k + 1), buf, w);
    applyAct(code, buf, 4 * w);
    x = buf;
    nx = w;
  }
  const WK = gp(c, 2 * K);
  const bK = load<f32>(gp(c, 2 * K + 1));
  const sx = <usize>nx << 2;
  for (let r = 0; r < 4; r++) setf(out, r, dot(x + <usize>r * sx, WK, nx) + bK);
}

/**
 * g backward for the 4 rows of a block, given dLoss/dg of each at dOut (4 floats). Accumulates
 * g's gradients (rows in order) when `learn`, writes dLoss/dinput (4 x s[0]) to dIn.
 */
function gBackward4(c: i32, inp: usize, a0: usize, a1: usize, a2: usize, dOut: usize, dIn: usize, learn: bool): void {
  const K = di(D_INNER_DEPTH);
  const code = di(D_INNER_ACT);
  const scratch = dp(D_SCRATCH);
  let dcur = scratch + S_D4;
  let dnext = scratch + S_N4;
  const xK = K == 1 ? a0 : K == 2 ? a1 : a2;
  const nK = gs(K);
  const sK = <usize>nK << 2;
  const WK = gp(c, 2 * K);
  if (learn) {
    const gW = gradOf(WK);
    const gb = gradOf(gp(c, 2 * K + 1));
    for (let r = 0; r < 4; r++) {
      const g = f(dOut, r);
      axpy(gW, xK + <usize>r * sK, g, nK);
      store<f32>(gb, load<f32>(gb) + g);
    }
  }
  for (let r = 0; r < 4; r++) {
    const g = f(dOut, r);
    const v = f32x4.splat(g);
    const row = dcur + <usize>r * sK;
    let i = 0;
    for (; i + 4 <= nK; i += 4) v128.store(row + (<usize>i << 2), f32x4.mul(v128.load(WK + (<usize>i << 2)), v));
    for (; i < nK; i++) setf(row, i, f(WK, i) * g);
  }
  applyDAct(code, dcur, xK, 4 * nK);
  for (let k = K - 1; k >= 0; k--) {
    const x = k == 0 ? inp : k == 1 ? a0 : a1;
    const nIn = gs(k);
    const nOut = gs(k + 1);
    const W = gp(c, 2 * k);
    if (learn) {
      outer4(x, nIn, dcur, nOut, gradOf(W));
      const gb = gradOf(gp(c, 2 * k + 1));
      const sOut = <usize>nOut << 2;
      for (let r = 0; r < 4; r++) addTo(gb, dcur + <usize>r * sOut, nOut);
    }
    if (k > 0) {
      // dLoss/dx = dcur W^T as rows times the transposed matrix (no horizontal sums).
      affine4(dcur, nOut, transposedOf(W), 0, dnext, nIn);
      applyDAct(code, dnext, x, 4 * nIn);
      const t = dcur;
      dcur = dnext;
      dnext = t;
    } else {
      // g's 1 or 2 inputs: one dot product of each delta row with a row of W.
      const sOut = <usize>nOut << 2;
      for (let r = 0; r < 4; r++) {
        const dr = dcur + <usize>r * sOut;
        for (let i = 0; i < nIn; i++) setf(dIn, r * nIn + i, dot(dr, W + <usize>i * sOut, nOut));
      }
    }
  }
}

/** Refreshes the transposed copies of g's weight matrices (copies [first, last)). */
function transposeInner(first: i32, last: i32): void {
  const K = di(D_INNER_DEPTH);
  for (let c = first; c < last; c++) {
    for (let k = 0; k <= K; k++) {
      const W = gp(c, 2 * k);
      const T = transposedOf(W);
      const rows = gs(k);
      const cols = gs(k + 1);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) setf(T, j * rows + i, f(W, i * cols + j));
    }
  }
}

// ---- the outer network ----

@inline function copyOf(l: i32): i32 {
  return di(D_SHARED) ? 0 : l;
}

@inline function widthOf(l: i32): i32 {
  const p = di(D_PER_UNIT);
  return li(l, L_UNITS) * (p == 0 ? 1 : p);
}

/** Pointer to the input of hidden layer l (or of the output layer when l == layers). */
@inline function layerInput(l: i32, useMask: bool): usize {
  if (l == 0) return dp(D_X);
  return useMask ? lp(l - 1, L_H) : lp(l - 1, L_APRE);
}

@inline function layerInputWidth(l: i32): i32 {
  return l == 0 ? di(D_INPUT) : li(l - 1, L_UNITS);
}

/** Forward pass of n rows of X into LOGITS, keeping what the backward pass needs. */
export function forward(n: i32, useMask: bool): void {
  const L = di(D_LAYERS);
  const p = di(D_PER_UNIT);
  for (let l = 0; l < L; l++) {
    const U = li(l, L_UNITS);
    const N = widthOf(l);
    const inp = layerInput(l, useMask);
    const nIn = layerInputWidth(l);
    const W = lp(l, L_W);
    const b = lp(l, L_B);
    const z = lp(l, L_Z);
    const rowIn = <usize>nIn << 2;
    const rowZ = <usize>N << 2;
    for (let r = 0; r < n; r++) rowAffine(inp + <usize>r * rowIn, nIn, W, b, z + <usize>r * rowZ, N);
    if (di(D_LN)) {
      const sdp = lp(l, L_SD);
      for (let r = 0; r < n; r++) {
        const row = z + <usize>r * rowZ;
        let mean: f64 = 0;
        for (let j = 0; j < N; j++) mean += <f64>f(row, j);
        mean /= <f64>N;
        const m32 = <f32>mean;
        let v: f64 = 0;
        for (let j = 0; j < N; j++) {
          const d = <f64>(f(row, j) - m32);
          v += d * d;
        }
        const sd = <f32>Math.sqrt(<f64>(<f32>(v / <f64>N) + <f32>1e-5));
        setf(sdp, r, sd);
        for (let j = 0; j < N; j++) setf(row, j, (f(row, j) - m32) / sd);
      }
    }
    const apre = lp(l, L_APRE);
    if (p == 0) {
      const code = di(D_FIXED_ACT);
      const total = n * U;
      memory.copy(apre, z, <usize>total << 2);
      applyAct(code, apre, total);
    } else {
      const c = copyOf(l);
      const g0 = lp(l, L_GACT);
      const g1 = lp(l, L_GACT + 1);
      const g2 = lp(l, L_GACT + 2);
      const rows = n * U;
      const pBytes = <usize>p << 2;
      let m = 0;
      for (; m + 4 <= rows; m += 4) {
        gForward4(c, z + <usize>m * pBytes, gActRow(g0, 0, m), gActRow(g1, 1, m), gActRow(g2, 2, m), apre + (<usize>m << 2));
      }
      for (; m < rows; m++) {
        gForwardRow(c, z + <usize>m * pBytes, gActRow(g0, 0, m), gActRow(g1, 1, m), gActRow(g2, 2, m), apre + (<usize>m << 2));
      }
    }
    if (useMask) {
      const h = lp(l, L_H);
      const mask = lp(l, L_MASK);
      const total = n * U;
      let j = 0;
      for (; j + 4 <= total; j += 4) {
        const o = <usize>j << 2;
        v128.store(h + o, f32x4.mul(v128.load(apre + o), v128.load(mask + o)));
      }
      for (; j < total; j++) setf(h, j, f(apre, j) * f(mask, j));
    }
  }
  const C = di(D_OUTPUT);
  const inp = layerInput(L, useMask);
  const nIn = layerInputWidth(L);
  const logits = dp(D_LOGITS);
  for (let r = 0; r < n; r++) {
    rowAffine(inp + <usize>r * (<usize>nIn << 2), nIn, dp(D_OUT_W), dp(D_OUT_B), logits + <usize>r * (<usize>C << 2), C);
  }
}

/** Mean head loss of the n logits against Y; writes dLoss/dlogits into DLOGITS. */
function headLossGrad(n: i32): f64 {
  const head = di(D_HEAD);
  const C = di(D_OUTPUT);
  const logits = dp(D_LOGITS);
  const dl = dp(D_DLOGITS);
  const y = dp(D_Y);
  const inv = <f32>(1.0 / <f64>n);
  let total: f64 = 0;
  if (head == 0) {
    for (let r = 0; r < n; r++) {
      const z = f(logits, r);
      const t = f(y, r);
      const az = z < 0 ? -z : z;
      total += <f64>((z > 0 ? z : 0) - z * t + <f32>Math.log1p(Math.exp(-<f64>az)));
      setf(dl, r, (1 / (1 + Mathf.exp(-z)) - t) * inv);
    }
  } else if (head == 1) {
    for (let r = 0; r < n; r++) {
      const row = logits + <usize>r * (<usize>C << 2);
      const drow = dl + <usize>r * (<usize>C << 2);
      let mx = f(row, 0);
      for (let j = 1; j < C; j++) mx = max(mx, f(row, j));
      let s: f64 = 0;
      for (let j = 0; j < C; j++) {
        const e = Math.exp(<f64>(f(row, j) - mx));
        setf(drow, j, <f32>e);
        s += e;
      }
      const label = <i32>f(y, r);
      total += <f64>(<f32>(<f64>mx + Math.log(s)) - f(row, label));
      const invS = 1.0 / s;
      for (let j = 0; j < C; j++) setf(drow, j, <f32>(<f64>f(drow, j) * invS) * inv);
      setf(drow, label, f(drow, label) - inv);
    }
  } else {
    for (let r = 0; r < n; r++) {
      const d = f(logits, r) - f(y, r);
      total += <f64>(d * d);
      setf(dl, r, 2 * d * inv);
    }
  }
  return total / <f64>n;
}

/** Backward pass after forward(n, useMask) and headLossGrad(n). */
function backward(n: i32, useMask: bool, learnInner: bool): void {
  const L = di(D_LAYERS);
  const p = di(D_PER_UNIT);
  const C = di(D_OUTPUT);
  const dl = dp(D_DLOGITS);
  const rowC = <usize>C << 2;
  {
    const inp = layerInput(L, useMask);
    const nIn = layerInputWidth(L);
    const W = dp(D_OUT_W);
    const dW = gradOf(W);
    const db = gradOf(dp(D_OUT_B));
    const dh = L > 0 ? lp(L - 1, L_DH) : 0;
    for (let r = 0; r < n; r++) {
      const d = dl + <usize>r * rowC;
      const x = inp + <usize>r * (<usize>nIn << 2);
      rowOuter(x, nIn, d, C, dW);
      addTo(db, d, C);
      if (L > 0) {
        const out = dh + <usize>r * (<usize>nIn << 2);
        for (let i = 0; i < nIn; i++) setf(out, i, dot(d, W + <usize>i * rowC, C));
      }
    }
  }
  for (let l = L - 1; l >= 0; l--) {
    const U = li(l, L_UNITS);
    const N = widthOf(l);
    const z = lp(l, L_Z);
    const dz = lp(l, L_DZ);
    const dh = lp(l, L_DH);
    const apre = lp(l, L_APRE);
    const mask = lp(l, L_MASK);
    const rows = n * U;
    if (p == 0) {
      const code = di(D_FIXED_ACT);
      for (let m = 0; m < rows; m++) {
        const g = useMask ? f(dh, m) * f(mask, m) : f(dh, m);
        setf(dz, m, g * dActOf(code, f(apre, m)));
      }
    } else {
      const c = copyOf(l);
      const g0 = lp(l, L_GACT);
      const g1 = lp(l, L_GACT + 1);
      const g2 = lp(l, L_GACT + 2);
      const pBytes = <usize>p << 2;
      const dOut = dp(D_SCRATCH) + S_G4;
      let m = 0;
      for (; m + 4 <= rows; m += 4) {
        // A block whose 4 rows all get no gradient (dropped units) does nothing, as one row does.
        let live = false;
        for (let r = 0; r < 4; r++) {
          const i = m + r;
          const g = useMask ? f(dh, i) * f(mask, i) : f(dh, i);
          setf(dOut, r, g);
          live = live || g != 0;
        }
        const dIn = dz + <usize>m * pBytes;
        if (!live) {
          zero(dIn, 4 * p);
          continue;
        }
        gBackward4(c, z + <usize>m * pBytes, gActRow(g0, 0, m), gActRow(g1, 1, m), gActRow(g2, 2, m), dOut, dIn, learnInner);
      }
      for (; m < rows; m++) {
        const g = useMask ? f(dh, m) * f(mask, m) : f(dh, m);
        const dIn = dz + <usize>m * pBytes;
        if (g == 0) {
          zero(dIn, p);
          continue;
        }
        gBackwardRow(c, z + <usize>m * pBytes, gActRow(g0, 0, m), gActRow(g1, 1, m), gActRow(g2, 2, m), g, dIn, learnInner);
      }
    }
    const rowZ = <usize>N << 2;
    if (di(D_LN)) {
      const sdp = lp(l, L_SD);
      const invN: f32 = <f32>(1.0 / <f64>N);
      for (let r = 0; r < n; r++) {
        const y = z + <usize>r * rowZ;
        const dy = dz + <usize>r * rowZ;
        let s1: f64 = 0;
        let s2: f64 = 0;
        for (let j = 0; j < N; j++) {
          const d = <f64>f(dy, j);
          s1 += d;
          s2 += d * <f64>f(y, j);
        }
        const m1 = <f32>s1 * invN;
        const m2 = <f32>s2 * invN;
        const sd = f(sdp, r);
        for (let j = 0; j < N; j++) setf(dy, j, (f(dy, j) - m1 - f(y, j) * m2) / sd);
      }
    }
    const inp = layerInput(l, useMask);
    const nIn = layerInputWidth(l);
    const W = lp(l, L_W);
    const dW = gradOf(W);
    const db = gradOf(lp(l, L_B));
    const prevDh = l > 0 ? lp(l - 1, L_DH) : 0;
    for (let r = 0; r < n; r++) {
      const d = dz + <usize>r * rowZ;
      rowOuter(inp + <usize>r * (<usize>nIn << 2), nIn, d, N, dW);
      addTo(db, d, N);
      if (l > 0) {
        const out = prevDh + <usize>r * (<usize>nIn << 2);
        for (let i = 0; i < nIn; i++) setf(out, i, dot(d, W + <usize>i * rowZ, N));
      }
    }
  }
}

/** sum(W^2) of one weight matrix, and grad += l2 * W. */
function l2Matrix(W: usize, count: i32, l2: f32): f64 {
  const gW = gradOf(W);
  let s: f64 = 0;
  for (let i = 0; i < count; i++) {
    const w = f(W, i);
    s += <f64>(w * w);
    setf(gW, i, f(gW, i) + l2 * w);
  }
  return s;
}

function l2Penalty(l2: f32, learnInner: bool): f64 {
  const L = di(D_LAYERS);
  let s: f64 = 0;
  for (let l = 0; l < L; l++) s += l2Matrix(lp(l, L_W), li(l, L_FAN_IN) * widthOf(l), l2);
  s += l2Matrix(dp(D_OUT_W), layerInputWidth(L) * di(D_OUTPUT), l2);
  if (learnInner && di(D_PER_UNIT) > 0 && L > 0) {
    const copies = di(D_SHARED) ? 1 : L;
    const K = di(D_INNER_DEPTH);
    for (let c = 0; c < copies; c++) {
      for (let k = 0; k <= K; k++) s += l2Matrix(gp(c, 2 * k), gs(k) * gs(k + 1), l2);
    }
  }
  return (<f64>l2 / 2) * s;
}

/**
 * One training objective evaluation on the n rows in X/Y: forward (with the dropout masks when
 * useMask), loss + L2, and every gradient in GRADS (zeroed first, gradCount floats). Returns the loss.
 */
export function lossGrad(n: i32, useMask: bool, learnInner: bool, l2: f32, gradCount: i32): f64 {
  zero(dp(D_GRADS), gradCount);
  const L = di(D_LAYERS);
  if (di(D_PER_UNIT) > 0 && L > 0) transposeInner(0, di(D_SHARED) ? 1 : L);
  forward(n, useMask);
  let loss = headLossGrad(n);
  backward(n, useMask, learnInner);
  if (l2 > 0) loss += l2Penalty(l2, learnInner);
  return loss;
}

// ---- g on its own: read-outs and Session I ----

/** g copy c on M rows of inputs at inp (s[0] values each) into out. */
export function gEval(c: i32, inp: usize, M: i32, out: usize): void {
  const scratch = dp(D_SCRATCH);
  const pBytes = <usize>gs(0) << 2;
  const a = scratch + S_A4;
  let m = 0;
  for (; m + 4 <= M; m += 4) gForward4(c, inp + <usize>m * pBytes, a, a + 1024, a + 2048, out + (<usize>m << 2));
  for (; m < M; m++) gForwardRow(c, inp + <usize>m * pBytes, scratch, scratch + 256, scratch + 512, out + (<usize>m << 2));
}

/**
 * Session I objective: mean squared error of g copy c on M rows (inputs at inp, targets at
 * target); g's gradients (zeroed first, gradStart/gradCount floats) receive dLoss/dparams.
 */
export function gLossGrad(c: i32, inp: usize, target: usize, M: i32, gradStart: i32, gradCount: i32): f64 {
  zero(dp(D_GRADS) + (<usize>gradStart << 2), gradCount);
  transposeInner(c, c + 1);
  const scratch = dp(D_SCRATCH);
  const pBytes = <usize>gs(0) << 2;
  const inv = <f32>(1.0 / <f64>M);
  let total: f64 = 0;
  const a = scratch + S_A4;
  const out = scratch + S_OUT4;
  const dOut = scratch + S_G4;
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const x = inp + <usize>m * pBytes;
    gForward4(c, x, a, a + 1024, a + 2048, out);
    for (let r = 0; r < 4; r++) {
      const d = f(out, r) - f(target, m + r);
      total += <f64>(d * d);
      setf(dOut, r, 2 * d * inv);
    }
    gBackward4(c, x, a, a + 1024, a + 2048, dOut, scratch + S_DIN4, true);
  }
  for (; m < M; m++) {
    const x = inp + <usize>m * pBytes;
    gForwardRow(c, x, scratch, scratch + 256, scratch + 512, scratch + 1280);
    const d = load<f32>(scratch + 1280) - f(target, m);
    total += <f64>(d * d);
    gBackwardRow(c, x, scratch, scratch + 256, scratch + 512, 2 * d * inv, scratch + 1296, true);
  }
  return total / <f64>M;
}

// ---- optimizers (elementwise in float32, in the same operation order as the tfjs path) ----

export function adam(start: i32, count: i32, b1: f32, omb1: f32, b2: f32, omb2: f32, epsHat: f32, stepSize: f32): void {
  const o0 = <usize>start << 2;
  const P = dp(D_PARAMS) + o0;
  const G = dp(D_GRADS) + o0;
  const M = dp(D_SLOT1) + o0;
  const S = dp(D_SLOT2) + o0;
  const vb1 = f32x4.splat(b1);
  const vo1 = f32x4.splat(omb1);
  const vb2 = f32x4.splat(b2);
  const vo2 = f32x4.splat(omb2);
  const ve = f32x4.splat(epsHat);
  const vs = f32x4.splat(stepSize);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(G + o);
    const m = f32x4.add(f32x4.mul(v128.load(M + o), vb1), f32x4.mul(g, vo1));
    const s = f32x4.add(f32x4.mul(v128.load(S + o), vb2), f32x4.mul(f32x4.mul(g, g), vo2));
    v128.store(M + o, m);
    v128.store(S + o, s);
    const upd = f32x4.mul(f32x4.div(m, f32x4.add(f32x4.sqrt(s), ve)), vs);
    v128.store(P + o, f32x4.sub(v128.load(P + o), upd));
  }
  for (; i < count; i++) {
    const g = f(G, i);
    const m = f(M, i) * b1 + g * omb1;
    const s = f(S, i) * b2 + g * g * omb2;
    setf(M, i, m);
    setf(S, i, s);
    setf(P, i, f(P, i) - (m / (Mathf.sqrt(s) + epsHat)) * stepSize);
  }
}

export function sgd(start: i32, count: i32, lr: f32, momentum: f32): void {
  const o0 = <usize>start << 2;
  const P = dp(D_PARAMS) + o0;
  const G = dp(D_GRADS) + o0;
  const V = dp(D_SLOT1) + o0;
  for (let i = 0; i < count; i++) {
    const v = f(V, i) * momentum + f(G, i);
    setf(V, i, v);
    setf(P, i, f(P, i) - v * lr);
  }
}
