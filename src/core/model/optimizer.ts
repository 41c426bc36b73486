/**
 * Adam and SGD with momentum, written against tf.Variable so that their state is explicit:
 * the learning rate is a plain number read at every step (changes apply live, no reset), the
 * slots are disposed with the optimizer, and the state can be dropped after a divergence.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName } from '../config';

export interface OptimizerSettings {
  name: OptimizerName;
  learningRate: number;
  momentum: number;
}

/** An optimizer's state as plain arrays (slots variable by variable: Adam m, s; SGD velocity). */
export interface OptimizerState {
  name: OptimizerName;
  t: number;
  slots: Float32Array[];
}

export class Optimizer {
  private readonly slots: tf.Variable[][];
  private t = 0;

  constructor(
    readonly name: OptimizerName,
    private readonly vars: tf.Variable[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    const slotsPerVar = name === 'adam' ? 2 : 1;
    this.slots = vars.map((v) => Array.from({ length: slotsPerVar }, () => tf.tidy(() => tf.variable(tf.zerosLike(v), false))));
  }

  /** Applies one update; grads are aligned with the variables given at construction. Call inside tf.tidy. */
  apply(grads: tf.Tensor[], learningRate: number, momentum: number): void {
    this.t += 1;
    if (this.name === 'adam') {
      const c1 = 1 - Math.pow(this.beta1, this.t);
      const c2 = 1 - Math.pow(this.beta2, this.t);
      const stepSize = (learningRate * Math.sqrt(c2)) / c1;
      this.vars.forEach((v, i) => {
        const [m, s] = this.slots[i];
        const g = grads[i];
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const sNew = tf.add(tf.mul(s, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(mNew);
        s.assign(sNew);
        // epsilon scaled the same way PyTorch applies it (outside the bias-corrected sqrt).
        v.assign(tf.sub(v, tf.mul(tf.div(mNew, tf.add(tf.sqrt(sNew), this.epsilon * Math.sqrt(c2))), stepSize)));
      });
    } else {
      this.vars.forEach((v, i) => {
        const [vel] = this.slots[i];
        const velNew = tf.add(tf.mul(vel, momentum), grads[i]);
        vel.assign(velNew);
        v.assign(tf.sub(v, tf.mul(velNew, learningRate)));
      });
    }
  }

  get stepCount(): number {
    return this.t;
  }

  /** The state to carry a run over to a fresh worker: the step count and every slot, in order. */
  async exportState(): Promise<OptimizerState> {
    const slots = await Promise.all(this.slots.flat().map(async (s) => Float32Array.from((await s.data()) as Float32Array)));
    return { name: this.name, t: this.t, slots };
  }

  /** Loads a state from exportState of an optimizer over the same variables (checked by count and size). */
  importState(state: OptimizerState): void {
    const flat = this.slots.flat();
    if (state.name !== this.name || state.slots.length !== flat.length)
      throw new Error(
        `the optimizer state does not fit (${state.name}, ${state.slots.length} slots; this run: ${this.name}, ${flat.length})`,
      );
    flat.forEach((s, i) => {
      if (state.slots[i].length !== s.size)
        throw new Error(`optimizer slot ${i} has ${state.slots[i].length} values; this run's has ${s.size}`);
    });
    tf.tidy(() => flat.forEach((s, i) => s.assign(tf.tensor(state.slots[i], s.shape))));
    this.t = state.t;
  }

  dispose(): void {
    for (const slot of this.slots) for (const s of slot) s.dispose();
  }
}
