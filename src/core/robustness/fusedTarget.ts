/**
 * The fused engine as an AttackTarget, with no tfjs copy: predictions from its forward pass,
 * and the input gradient from its own backward pass. The kernel's lossGrad leaves dLoss/dz of
 * the first layer (after LayerNorm's backward) in that layer's dz buffer; one product with the
 * first weight matrix transposed gives dLoss/dx. It uses the run's kernel buffers (inputs,
 * labels, gradients), which every training step rewrites anyway: call it between steps only.
 */
import type { FusedNet } from '../fused/fusedNet';
import type { AttackTarget } from './attacks';

export function fusedAttackTarget(net: FusedNet, batch: number): AttackTarget {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`the attack batch must be a positive whole number, not ${batch}`);
  net.ensureCapacity(batch);
  const d = net.config.inputSize;
  const C = net.config.outputSize;
  const head = net.config.head;
  return {
    inputSize: d,
    batch,
    correct(x, y) {
      net.loadRows(x, 0, batch);
      net.kernel.forward(batch, 0);
      const F = net.kernel.floats();
      const L = net.layout.logits >> 2;
      const out = new Int8Array(batch);
      for (let r = 0; r < batch; r++) {
        const row = L + r * C;
        let finite = true;
        let best = 0;
        for (let j = 0; j < C; j++) {
          if (!Number.isFinite(F[row + j])) finite = false;
          if (F[row + j] > F[row + best]) best = j;
        }
        if (!finite) out[r] = -1;
        else if (head === 'binary') out[r] = (F[row] > 0 ? 1 : 0) === y[r] ? 1 : 0;
        else if (head === 'multiclass') out[r] = best === y[r] ? 1 : 0;
        // Regression has no "right" (as in the tfjs target): always 0.
      }
      return Promise.resolve(out);
    },
    inputGradient(x, y) {
      net.loadRows(x, 0, batch, y);
      // No dropout, no L2, g's own gradients skipped: only the outer gradients' block is zeroed.
      net.kernel.lossGrad(batch, 0, 0, 0, net.layout.outerParamCount);
      const layout = net.layout;
      const F = net.kernel.floats();
      // With hidden layers: dLoss/dz of layer 0; without: dLoss/dlogits. Either way variable 0 is
      // the matrix that multiplies x, stored [d, width] row-major.
      const first = layout.layers[0];
      const delta = (first ? first.dz : layout.dlogits) >> 2;
      const width = first ? first.width : C;
      const W = (layout.params >> 2) + layout.variables[0].offset;
      const grad = new Float32Array(batch * d);
      for (let r = 0; r < batch; r++) {
        const dz = delta + r * width;
        for (let i = 0; i < d; i++) {
          const w = W + i * width;
          let s = 0;
          for (let j = 0; j < width; j++) s += F[dz + j] * F[w + j];
          // The kernel's loss is the batch mean; the target's is the sum over examples.
          grad[r * d + i] = s * batch;
        }
      }
      return Promise.resolve(grad);
    },
  };
}
