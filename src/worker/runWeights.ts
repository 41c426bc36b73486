/**
 * A run's weights across the run file: reading everything the file needs from a built run,
 * and loading a file's g into a freshly built one. Both work on either engine; the host decides when.
 */
import type { TrainEngine } from './engine';
import type { RunExport } from './protocol';

/** The host's facts about the run that the engine itself does not hold. */
export type RunFacts = Pick<RunExport, 'params' | 'step' | 'epoch' | 'backend' | 'history'>;

/** Everything the run file needs, read at the run's current step (the caller pauses training). */
export async function readRunExport(run: TrainEngine, facts: RunFacts): Promise<RunExport> {
  const [gWeights, view] = await Promise.all([run.innerWeights(), run.inspect({ decision: false })]);
  return { ...facts, session: run.session, analysis: view.analysis, gWeights: gWeights.length > 0 ? gWeights : null };
}

/**
 * Replaces g's weights (all copies; they are the tail of the weights) and makes them the start:
 * a checkpoint, and the returned "g at start" on the argument grid (null unless g is two-argument).
 */
export async function loadInnerWeights(run: TrainEngine, inner: Float32Array[]): Promise<Float32Array | null> {
  const all = await run.exportWeights();
  const innerCount = (await run.innerWeights()).length;
  if (inner.length !== innerCount) throw new Error(`the run file's g has ${inner.length} weight arrays; this model's g has ${innerCount}`);
  all.splice(all.length - innerCount, innerCount, ...inner);
  run.importWeights(all);
  run.saveCheckpoint();
  return run.gOnGrid();
}
