/**
 * Read-outs of a network for the views and the analysis: g on a grid, the arguments units
 * actually receive, the network's output over the input plane. All asynchronous reads.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gridPoints, type GridSpec } from './grid';
import type { InnerNet } from './model/innerNet';
import { headOutput } from './model/loss';
import type { Network } from './model/network';

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

/** g(a, b) on every point of the grid (row-major, b outer, a inner). */
export function evaluateInnerOnGrid(inner: InnerNet, grid: GridSpec): Promise<Float32Array> {
  if (inner.inputs !== 2) throw new Error('evaluateInnerOnGrid needs a two-argument g');
  const out = tf.tidy(() => inner.apply(tf.tensor2d(gridPoints(grid), [grid.size * grid.size, 2])));
  return readAndDispose(out);
}

/** g on arbitrary rows of inputs ([M, inputs] row-major); works for one- and two-argument g. */
export function evaluateInner(inner: InnerNet, inputs: Float32Array): Promise<Float32Array> {
  const rows = inputs.length / inner.inputs;
  const out = tf.tidy(() => inner.apply(tf.tensor2d(inputs, [rows, inner.inputs])));
  return readAndDispose(out);
}

/**
 * The activation arguments of every unit of every hidden layer for the examples x
 * ([n, inputSize] row-major): per layer, interleaved (a, b) pairs (or single values).
 */
export async function collectArguments(net: Network, x: Float32Array): Promise<Float32Array[]> {
  const n = x.length / net.config.inputSize;
  const args = tf.tidy(() => net.forward(tf.tensor2d(x, [n, net.config.inputSize]), { collectArguments: true }).arguments);
  return Promise.all(args.map(readAndDispose));
}

/** The network's user-facing output (e.g. P(class 1)) on every point of a 2D input grid. */
export function outputOnGrid(net: Network, grid: GridSpec): Promise<Float32Array> {
  if (net.config.inputSize !== 2) throw new Error('outputOnGrid needs 2D inputs');
  const out = tf.tidy(() => {
    const probs = headOutput(net.config.head, net.forward(tf.tensor2d(gridPoints(grid), [grid.size * grid.size, 2])).logits);
    // For several classes show the probability of the last class against the rest.
    return probs.shape[1] === 1 ? tf.reshape(probs, [-1]) : tf.reshape(tf.slice(probs, [0, probs.shape[1] - 1], [-1, 1]), [-1]);
  });
  return readAndDispose(out);
}
