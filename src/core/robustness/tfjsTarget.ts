/**
 * The tfjs path as an AttackTarget: predictions and the input gradient of the summed loss of a
 * Network, one fixed-shape chunk at a time (no dropout: attacks test the trained function).
 * Every tensor lives inside tf.tidy; results come back with `await data()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Head } from '../config';
import { headLoss } from '../model/loss';
import type { Network } from '../model/network';
import type { AttackTarget } from './attacks';

/** 1 right, 0 wrong, -1 non-finite output, per example (regression has no "right": always 0). */
function correctness(head: Head, logits: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D {
  const finite = tf.all(tf.isFinite(logits), -1);
  let right: tf.Tensor1D;
  if (head === 'binary') right = tf.equal<tf.Tensor1D>(tf.cast(tf.greater(tf.reshape(logits, [-1]), 0), 'float32'), y);
  else if (head === 'multiclass') right = tf.equal<tf.Tensor1D>(tf.argMax(logits, -1), tf.cast(y, 'int32'));
  else right = tf.zeros([y.shape[0]], 'bool');
  return tf.where<tf.Tensor1D>(finite, tf.cast(right, 'int32'), tf.fill([y.shape[0]], -1, 'int32'));
}

export function tfjsAttackTarget(net: Network, head: Head, batch: number): AttackTarget {
  const d = net.config.inputSize;
  const upload = (x: Float32Array, y: Float32Array) => [tf.tensor2d(x, [batch, d]), tf.tensor1d(y)] as const;
  return {
    inputSize: d,
    batch,
    async correct(x, y) {
      const t = tf.tidy(() => {
        const [tx, ty] = upload(x, y);
        return correctness(head, net.forward(tx).logits, ty);
      });
      const values = await t.data();
      t.dispose();
      return Int8Array.from(values);
    },
    async inputGradient(x, y) {
      const t = tf.tidy(() => {
        const [tx, ty] = upload(x, y);
        // Mean loss times batch = summed loss: each example's gradient is its own loss's gradient.
        const summed = (input: tf.Tensor) => tf.mul(headLoss(head, net.forward(input as tf.Tensor2D).logits, ty), batch);
        return tf.grad(summed)(tx);
      });
      const values = (await t.data()) as Float32Array;
      t.dispose();
      return values;
    },
  };
}
