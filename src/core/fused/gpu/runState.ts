/**
 * Moving a run between the CPU fused engine and the WebGPU one: both keep the weights and the
 * optimizer's slots as one block each in the same variable order (layout.ts), so a move is
 * three copies and the optimizer's step count.
 */
import type { OptimizerName } from '../../config';
import type { FusedRun } from '../fusedRun';

/** One run's weights and optimizer slots as whole blocks in the CPU fused engine's parameter layout. */
export interface GpuRunState {
  params: Float32Array;
  /** Adam's first moment or SGD's velocity. */
  slot1: Float32Array;
  /** Adam's second moment (zeros for SGD). */
  slot2: Float32Array;
}

/** A run's state as the GPU takes it, with its optimizer's name and step count. */
export function stateOfFusedRun(run: FusedRun): { state: GpuRunState; optimizer: OptimizerName; t: number } {
  const P = run.net.layout.paramCount;
  const opt = run.exportOptimizerState();
  const slot1 = new Float32Array(P);
  const slot2 = new Float32Array(P);
  // Slots cover the trainable variables, which come first in the block (g's last, frozen in Session III).
  opt.slots.forEach((slots, v) => {
    const at = run.net.layout.variables[v].offset;
    slot1.set(slots[0], at);
    if (slots[1]) slot2.set(slots[1], at);
  });
  return { state: { params: run.net.snapshotParams(), slot1, slot2 }, optimizer: opt.name, t: opt.t };
}

/** Loads a GPU run's state into a CPU fused run (same model). */
export function loadStateIntoFusedRun(run: FusedRun, state: GpuRunState, optimizer: OptimizerName, t: number): void {
  const { variables } = run.net.layout;
  run.net.restoreParams(state.params);
  const trainable = run.exportOptimizerState().slots.length;
  const slots: Float32Array[][] = [];
  for (let v = 0; v < trainable; v++) {
    const { offset, size } = variables[v];
    const m = state.slot1.slice(offset, offset + size);
    slots.push(optimizer === 'adam' ? [m, state.slot2.slice(offset, offset + size)] : [m]);
  }
  run.importOptimizerState({ name: optimizer, t, slots });
}
