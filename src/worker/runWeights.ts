/**
 * A run's weights across the run file: reading everything the file needs from a built run,
 * and loading a file's g into a freshly built one. Both work on a Run; the host decides when.
 */
import { evaluateInnerOnGrid } from '../core/inspect';
import { ARGUMENT_GRID, type Run } from '../core/run';
import type { RunExport } from './protocol';

/** The host's facts about the run that the Run itself does not hold. */
export type RunFacts = Pick<RunExport, 'params' | 'step' | 'epoch' | 'backend' | 'history'>;

/** Everything the run file needs, read at the run's current step (the caller pauses training). */
export async function readRunExport(run: Run, facts: RunFacts): Promise<RunExport> {
  const [gWeights, view] = await Promise.all([
    Promise.all(run.net.innerVariables().map(async (v) => Float32Array.from((await v.data()) as Float32Array))),
    run.inspect({ decision: false }),
  ]);
  return { ...facts, session: run.session, analysis: view.analysis, gWeights: run.net.inner.length > 0 ? gWeights : null };
}

/**
 * Replaces g's weights (all copies) and makes them the start: a checkpoint, and the returned
 * "g at start" on the argument grid (null unless g is a two-argument network).
 */
export async function loadInnerWeights(run: Run, inner: Float32Array[]): Promise<Float32Array | null> {
  const outerCount = run.net.outerVariables().length;
  const innerCount = run.net.innerVariables().length;
  if (inner.length !== innerCount) throw new Error(`the run file's g has ${inner.length} weight arrays; this model's g has ${innerCount}`);
  const all = await run.net.exportWeights();
  all.splice(outerCount, innerCount, ...inner);
  run.net.importWeights(all);
  run.saveCheckpoint();
  return run.net.perUnit === 2 && run.net.inner.length > 0 ? evaluateInnerOnGrid(run.net.inner[0], ARGUMENT_GRID) : null;
}
