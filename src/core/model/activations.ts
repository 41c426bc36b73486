import * as tf from '@tensorflow/tfjs-core';
// Core-only tfjs does not register gradients by itself; every model file imports this one.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export type Activation = (x: tf.Tensor) => tf.Tensor;

const ACTIVATIONS: Record<string, Activation> = {
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  elu: (x) => tf.elu(x),
  linear: (x) => x,
};

/** The tfjs function of a named fixed activation. */
export function activation(name: string): Activation {
  const fn = ACTIVATIONS[name];
  if (!fn) throw new Error(`unknown activation ${name}`);
  return fn;
}

/**
 * LayerNorm without learnable scale or shift, over the last axis (all pre-activations of a
 * layer, per example), as in the paper. eps matches PyTorch's default.
 */
export function layerNorm(x: tf.Tensor2D, eps = 1e-5): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
}

/** A trainable variable from plain values; the temporary upload tensor is disposed. */
export function variableFrom(values: Float32Array, shape: number[], trainable = true): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape), trainable));
}
