/**
 * The learned activation network g: a small MLP from 2 arguments (or 1) to one output,
 * shared by the units of a layer or of every layer. Xavier-uniform weights, zero biases.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { InnerConfig } from '../config';
import type { Rng } from '../rng';
import { activation, variableFrom, type Activation } from './activations';
import { xavierUniform } from './init';

export class InnerNet {
  /** [W0, b0, W1, b1, ...]; the last pair maps to the single output. */
  readonly variables: tf.Variable[] = [];
  private readonly act: Activation;
  private readonly sizes: number[];

  constructor(
    readonly config: InnerConfig,
    readonly inputs: 1 | 2,
    rng: Rng,
  ) {
    this.act = activation(config.activation);
    this.sizes = [inputs, ...config.hidden, 1];
    for (let k = 0; k + 1 < this.sizes.length; k++) {
      const [fanIn, fanOut] = [this.sizes[k], this.sizes[k + 1]];
      this.variables.push(variableFrom(xavierUniform(fanIn, fanOut, rng), [fanIn, fanOut]));
      this.variables.push(variableFrom(new Float32Array(fanOut), [fanOut]));
    }
  }

  /** g applied row-wise: [M, inputs] -> [M, 1]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    const layers = this.variables.length / 2;
    for (let k = 0; k < layers; k++) {
      h = tf.add<tf.Tensor2D>(tf.matMul(h, this.variables[2 * k]), this.variables[2 * k + 1]);
      if (k + 1 < layers) h = this.act(h) as tf.Tensor2D;
    }
    return h;
  }

  /** The weight matrices (not biases), for the L2 penalty. */
  weightMatrices(): tf.Variable[] {
    return this.variables.filter((_, i) => i % 2 === 0);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
