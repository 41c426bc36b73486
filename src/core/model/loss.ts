/** Heads: binary (sigmoid + cross-entropy), multi-class (softmax + cross-entropy), regression (MSE). */
import * as tf from '@tensorflow/tfjs-core';
import type { Head } from '../config';

/**
 * Mean loss of logits [B, C] against targets [B] (0/1 labels, class indices, or real values).
 * Written out with the numerically stable forms so large logits give large losses, not NaN.
 */
export function headLoss(head: Head, logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  switch (head) {
    case 'binary': {
      const z = tf.reshape(logits, [-1]);
      // log(1 + e^z) - z*y, stable: max(z, 0) - z*y + log(1 + e^-|z|)
      return tf.mean<tf.Scalar>(tf.add(tf.sub(tf.relu(z), tf.mul(z, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
    }
    case 'multiclass': {
      const oneHot = tf.oneHot(tf.cast(targets, 'int32'), logits.shape[1]);
      const lse = tf.logSumExp(logits, -1);
      return tf.mean<tf.Scalar>(tf.sub(lse, tf.sum(tf.mul(logits, oneHot), -1)));
    }
    case 'regression':
      return tf.mean<tf.Scalar>(tf.square(tf.sub(tf.reshape(logits, [-1]), targets)));
  }
}

/** Fraction of correct predictions; NaN for regression (no classes). */
export function headAccuracy(head: Head, logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  switch (head) {
    case 'binary':
      return tf.mean<tf.Scalar>(tf.cast(tf.equal(tf.cast(tf.greater(tf.reshape(logits, [-1]), 0), 'float32'), targets), 'float32'));
    case 'multiclass':
      return tf.mean<tf.Scalar>(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(targets, 'int32')), 'float32'));
    case 'regression':
      return tf.scalar(NaN);
  }
}

/** The model's prediction in the units a user reads: P(class 1), class probabilities, or the value. */
export function headOutput(head: Head, logits: tf.Tensor2D): tf.Tensor2D {
  switch (head) {
    case 'binary':
      return tf.sigmoid(logits);
    case 'multiclass':
      return tf.softmax(logits);
    case 'regression':
      return logits;
  }
}
