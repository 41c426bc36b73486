/**
 * The outer network: hidden layers of two-argument units (or one-argument / fixed-activation
 * baselines) and an output layer. A two-argument layer of N units is ONE matmul to 2N
 * pre-activations, paired (2i, 2i+1) into (a_i, b_i), optionally LayerNorm-ed over all 2N,
 * and each unit outputs g(a_i, b_i) with g shared by every unit (and by default every layer).
 * No view code: the worker and the Node tests drive it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hasInnerNet, validateModelConfig, type ModelConfig } from '../config';
import { Rng } from '../rng';
import { activation, layerNorm, variableFrom } from './activations';
import { InnerNet } from './innerNet';
import { torchLinearBias, torchLinearWeights } from './init';
import { argumentsPerUnit, countParams, type ParamCount } from './paramCount';

interface Dense {
  W: tf.Variable;
  b: tf.Variable;
  fanIn: number;
  fanOut: number;
}

export interface ForwardOptions {
  /** One [batch, units] mask per hidden layer, already scaled by 1/keep (inverted dropout). */
  dropoutMasks?: tf.Tensor2D[];
  /** Collect each hidden layer's activation arguments (the inputs of g, after LayerNorm). */
  collectArguments?: boolean;
}

export interface ForwardResult {
  logits: tf.Tensor2D;
  /** Per hidden layer, [batch * units, argumentsPerUnit]; only with collectArguments. */
  arguments: tf.Tensor2D[];
}

function dense(fanIn: number, fanOut: number, rng: Rng): Dense {
  return {
    W: variableFrom(torchLinearWeights(fanIn, fanOut, rng), [fanIn, fanOut]),
    b: variableFrom(torchLinearBias(fanIn, fanOut, rng), [fanOut]),
    fanIn,
    fanOut,
  };
}

export class Network {
  readonly config: ModelConfig;
  readonly perUnit: 1 | 2;
  private hiddenLayers: Dense[] = [];
  private output!: Dense;
  /** Empty for fixed activations; one entry when shared; one per layer otherwise. */
  readonly inner: InnerNet[] = [];

  /** Builds and initialises from `seed` (validating the configuration first; nothing is half-built). */
  constructor(config: ModelConfig, seed: number) {
    this.config = validateModelConfig(config);
    this.perUnit = argumentsPerUnit(this.config.kind) as 1 | 2;
    this.initOuter(Rng.derive(seed, 'outer-weights'));
    if (hasInnerNet(this.config.kind) && this.config.hidden.length > 0) {
      const rng = Rng.derive(seed, 'inner-weights');
      const copies = this.config.innerShared ? 1 : this.config.hidden.length;
      for (let i = 0; i < copies; i++) this.inner.push(new InnerNet(this.config.inner, this.perUnit, rng));
    }
  }

  private initOuter(rng: Rng): void {
    let prev = this.config.inputSize;
    for (const units of this.config.hidden) {
      this.hiddenLayers.push(dense(prev, units * this.perUnit, rng));
      prev = units;
    }
    this.output = dense(prev, this.config.outputSize, rng);
  }

  /** Dropout is read at every step, so the rate can change live. */
  setDropout(rate: number): void {
    (this.config as { dropout: number }).dropout = validateModelConfig({ ...this.config, dropout: rate }).dropout;
  }

  /** Session III: new outer weights from a fresh seed stream, g untouched. */
  reinitializeOuter(seed: number): void {
    for (const v of this.outerVariables()) v.dispose();
    this.hiddenLayers = [];
    this.initOuter(Rng.derive(seed, 'outer-weights-session-3'));
  }

  /** g used by hidden layer i. */
  innerFor(layer: number): InnerNet {
    return this.inner[this.config.innerShared ? 0 : layer];
  }

  forward(x: tf.Tensor2D, options: ForwardOptions = {}): ForwardResult {
    const args: tf.Tensor2D[] = [];
    let h = x;
    const fixed = hasInnerNet(this.config.kind) ? null : activation(this.config.kind);
    this.hiddenLayers.forEach((layer, i) => {
      let z = tf.add<tf.Tensor2D>(tf.matMul(h, layer.W), layer.b);
      if (this.config.layerNorm) z = layerNorm(z);
      const batch = z.shape[0];
      const units = layer.fanOut / this.perUnit;
      if (fixed) {
        if (options.collectArguments) args.push(tf.reshape(z, [batch * units, 1]));
        h = fixed(z) as tf.Tensor2D;
      } else {
        const pairs = tf.reshape<tf.Rank.R2>(z, [batch * units, this.perUnit]);
        if (options.collectArguments) args.push(pairs);
        h = tf.reshape(this.innerFor(i).apply(pairs), [batch, units]);
      }
      const mask = options.dropoutMasks?.[i];
      if (mask) h = tf.mul(h, mask);
    });
    const logits = tf.add<tf.Tensor2D>(tf.matMul(h, this.output.W), this.output.b);
    return { logits, arguments: args };
  }

  /** Units per hidden layer (what dropout masks must match). */
  get hiddenUnits(): number[] {
    return this.hiddenLayers.map((l) => l.fanOut / this.perUnit);
  }

  outerVariables(): tf.Variable[] {
    return [...this.hiddenLayers, this.output].flatMap((l) => [l.W, l.b]);
  }

  innerVariables(): tf.Variable[] {
    return this.inner.flatMap((g) => g.variables);
  }

  variables(): tf.Variable[] {
    return [...this.outerVariables(), ...this.innerVariables()];
  }

  /** Weight matrices (no biases) of the given variables' owners, for the L2 penalty. */
  weightMatrices(includeInner: boolean): tf.Variable[] {
    const outer = [...this.hiddenLayers, this.output].map((l) => l.W);
    return includeInner ? [...outer, ...this.inner.flatMap((g) => g.weightMatrices())] : outer;
  }

  paramCount(): ParamCount {
    return countParams(this.config);
  }

  /** Every variable's values in a fixed order (outer, then inner), read asynchronously. */
  async exportWeights(): Promise<Float32Array[]> {
    return Promise.all(this.variables().map(async (v) => (await v.data()) as Float32Array));
  }

  /** Loads values written by exportWeights (same configuration). */
  importWeights(values: Float32Array[]): void {
    const vars = this.variables();
    if (values.length !== vars.length) throw new Error(`expected ${vars.length} weight arrays, got ${values.length}`);
    vars.forEach((v, i) => {
      if (values[i].length !== v.size) throw new Error(`weight ${i}: expected ${v.size} values, got ${values[i].length}`);
      tf.tidy(() => v.assign(tf.tensor(values[i], v.shape)));
    });
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
