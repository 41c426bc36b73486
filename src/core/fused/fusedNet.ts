/**
 * One network in the fused engine's memory: the seeded initial weights (the same streams and
 * order as the tfjs Network), weights in and out in the Network's variable order, forward passes
 * of arbitrary many rows in chunks, and g on its own. No training logic (fusedRun.ts).
 */
import { validateModelConfig, type ModelConfig } from '../config';
import { errorMessage } from '../errorMessage';
import { Rng } from '../rng';
import { torchLinearBias, torchLinearWeights, xavierUniform } from '../model/init';
import { countParams, type ParamCount } from '../model/paramCount';
import type { FusedKernel } from './kernel';
import { descriptorOf, G_ROWS, planLayout, type FusedLayout } from './layout';

/** Rows one kernel call holds at least (the playground's largest batch; read-outs go in chunks of it). */
export const MIN_CAPACITY = 512;
/** Buffers beyond this are refused (the caller falls back to tfjs). */
export const MAX_FUSED_BYTES = 1024 * 1024 * 1024;

/** Thrown for a configuration the fused engine does not run; the caller falls back to tfjs. */
export class FusedUnsupportedError extends Error {
  constructor(reason: string) {
    super(`not supported by the fused engine: ${reason}`);
    this.name = 'FusedUnsupportedError';
  }
}

export class FusedNet {
  readonly config: ModelConfig;
  layout: FusedLayout;

  constructor(
    config: ModelConfig,
    readonly kernel: FusedKernel,
    capacity: number,
    seed: number,
  ) {
    this.config = validateModelConfig(config);
    this.layout = this.allocate(Math.max(MIN_CAPACITY, capacity), kernel.heapBase());
    this.initOuter(Rng.derive(seed, 'outer-weights'));
    if (this.layout.innerCopies > 0) {
      const rng = Rng.derive(seed, 'inner-weights');
      const vars = this.layout.variables;
      for (let v = this.layout.outerVariableCount; v < vars.length; v += 2) {
        const [fanIn, fanOut] = vars[v].shape;
        this.writeVariable(v, xavierUniform(fanIn, fanOut, rng));
        this.writeVariable(v + 1, new Float32Array(fanOut));
      }
    }
  }

  private allocate(capacity: number, base: number): FusedLayout {
    const layout = planLayout(this.config, capacity, base);
    if (layout.end - base > MAX_FUSED_BYTES) {
      throw new FusedUnsupportedError(`this model needs ${Math.round((layout.end - base) / 2 ** 20)} MiB of buffers`);
    }
    try {
      this.kernel.reserve(layout.end);
    } catch (e) {
      throw new FusedUnsupportedError(`could not reserve ${Math.round(layout.end / 2 ** 20)} MiB of memory (${errorMessage(e)})`);
    }
    this.kernel.ints().set(descriptorOf(layout), layout.desc >> 2);
    this.kernel.configure(layout.desc);
    return layout;
  }

  /** Makes room for `rows` rows per call, keeping weights and optimizer state. */
  ensureCapacity(rows: number): void {
    if (rows <= this.layout.capacity) return;
    const old = this.layout;
    const next = this.allocate(rows, old.end);
    const F = this.kernel.floats();
    for (const [from, to] of [
      [old.params, next.params],
      [old.slot1, next.slot1],
      [old.slot2, next.slot2],
    ]) {
      F.copyWithin(to >> 2, from >> 2, (from >> 2) + old.paramCount);
    }
    this.layout = next;
  }

  /** Session III too: the outer weights from `rng`, in the Network's order (W then b per layer). */
  private initOuter(rng: Rng): void {
    for (let v = 0; v < this.layout.outerVariableCount; v += 2) {
      const [fanIn, fanOut] = this.layout.variables[v].shape;
      this.writeVariable(v, torchLinearWeights(fanIn, fanOut, rng));
      this.writeVariable(v + 1, torchLinearBias(fanIn, fanOut, rng));
    }
  }

  reinitializeOuter(seed: number): void {
    this.initOuter(Rng.derive(seed, 'outer-weights-session-3'));
  }

  get perUnit(): 0 | 1 | 2 {
    return this.layout.perUnit;
  }

  get hiddenUnits(): number[] {
    return [...this.config.hidden];
  }

  get innerCopies(): number {
    return this.layout.innerCopies;
  }

  paramCount(): ParamCount {
    return countParams(this.config);
  }

  /** Float index (into kernel.floats()) of variable v's first value. */
  private at(v: number): number {
    return (this.layout.params >> 2) + this.layout.variables[v].offset;
  }

  private writeVariable(v: number, values: ArrayLike<number>): void {
    const slot = this.layout.variables[v];
    if (values.length !== slot.size) throw new Error(`weight ${v}: expected ${slot.size} values, got ${values.length}`);
    this.kernel.floats().set(values, this.at(v));
  }

  /** Every variable's values, in the tfjs Network's order and layout. */
  exportWeights(): Float32Array[] {
    const F = this.kernel.floats();
    return this.layout.variables.map((s, v) => Float32Array.from(F.subarray(this.at(v), this.at(v) + s.size)));
  }

  /** Loads values written by exportWeights (of either engine; same configuration). */
  importWeights(values: Float32Array[]): void {
    const vars = this.layout.variables;
    if (values.length !== vars.length) throw new Error(`expected ${vars.length} weight arrays, got ${values.length}`);
    values.forEach((w, v) => this.writeVariable(v, w));
  }

  get outerVariableCount(): number {
    return this.layout.outerVariableCount;
  }

  /** g's weights only (every copy), as the run file stores them. */
  exportInnerWeights(): Float32Array[] {
    return this.exportWeights().slice(this.layout.outerVariableCount);
  }

  /** A copy of the whole parameter block (for checkpoints). */
  snapshotParams(): Float32Array {
    const p = this.layout.params >> 2;
    return Float32Array.from(this.kernel.floats().subarray(p, p + this.layout.paramCount));
  }

  restoreParams(values: Float32Array): void {
    this.kernel.floats().set(values, this.layout.params >> 2);
  }

  /** Sum of squares of every weight (in float64). */
  weightNormSquared(): number {
    const F = this.kernel.floats();
    const p = this.layout.params >> 2;
    let s = 0;
    for (let i = p; i < p + this.layout.paramCount; i++) s += F[i] * F[i];
    return s;
  }

  /** Copies rows (row-major [*, inputSize]) starting at `first` into the kernel's input block. */
  loadRows(x: Float32Array, first: number, count: number, y?: Float32Array): void {
    const F = this.kernel.floats();
    const D = this.config.inputSize;
    const X = this.layout.x >> 2;
    for (let i = 0; i < count * D; i++) F[X + i] = x[first * D + i];
    if (y) for (let i = 0; i < count; i++) F[(this.layout.y >> 2) + i] = y[first + i];
  }

  /**
   * Runs the network (no dropout) over n rows of x in chunks; after each chunk `visit` reads
   * the logits ([count, outputSize] from kernel.floats() at layout.logits) and layer buffers.
   */
  forEachChunk(x: Float32Array, n: number, visit: (first: number, count: number) => void): void {
    const cap = this.layout.capacity;
    for (let first = 0; first < n; first += cap) {
      const count = Math.min(cap, n - first);
      this.loadRows(x, first, count);
      this.kernel.forward(count, 0);
      visit(first, count);
    }
  }

  /** g copy c on rows of inputs ([M, inputs] row-major). */
  evaluateInner(c: number, inputs: Float32Array): Float32Array {
    const p = this.layout.gSizes[0];
    const rows = inputs.length / p;
    const out = new Float32Array(rows);
    for (let first = 0; first < rows; first += G_ROWS) {
      const count = Math.min(G_ROWS, rows - first);
      const F = this.kernel.floats();
      F.set(inputs.subarray(first * p, (first + count) * p), this.layout.gIn >> 2);
      this.kernel.gEval(c, this.layout.gIn, count, this.layout.gOut);
      const o = this.layout.gOut >> 2;
      out.set(F.subarray(o, o + count), first);
    }
    return out;
  }
}
