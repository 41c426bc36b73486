/**
 * What the page keeps of compare mode (the store's `compare` slice): the plan, one record per
 * run, and the shared play state. Plain, serialisable data, like every snapshot in the store.
 * A run's record satisfies core's CompareRunResult, so the summary table and the export are
 * computed from these records by core/compare/summary.ts.
 */
import type { BootstrapVerdict, UncertainVerdict } from '../core/analysis/bootstrap';
import type { ShapeAnalysis } from '../core/analysis/shape';
import type { CompareRunPlan } from '../core/compare/plan';
import type { CompareRunResult } from '../core/compare/summary';
import type { MetricPoint, RunStatus, Snapshot } from '../worker/protocol';

/** A bootstrap verdict and the step it was computed at. */
export interface TimedVerdict extends BootstrapVerdict {
  step: number;
}

export interface CompareRunView extends CompareRunResult {
  seedIndex: number;
  status: RunStatus;
  /** Why the run stopped by itself (divergence), or an error. */
  message: string | null;
  history: MetricPoint[];
  /** The latest read-outs (kept across metrics-only snapshots). */
  g: Snapshot['g'];
  gInit: Snapshot['gInit'];
  g1d: Snapshot['g1d'];
  density: Snapshot['density'];
  analysis: ShapeAnalysis | null;
  /** g's analysis at step 0 of Session II (from the run's step-0 timeline frame): the null. */
  analysisInit: ShapeAnalysis | null;
  bootstrap: TimedVerdict | null;
  /** Every bootstrap verdict so far, oldest first (the verdict history strip). */
  verdictHistory: { step: number; verdict: UncertainVerdict }[];
  /** Session I progress while the run builds (null once built). */
  progress: { done: number; total: number } | null;
}

/**
 * A pool worker died (ended, or its script failed to start). restarted: a fresh one took over
 * its runs, each from its last checkpoint (or rebuilt from its seed where none had come yet) and
 * brings them to `target`, where the others wait; stopped: it died again within a minute, its
 * runs wait for the user's Restart and the others wait at `target`.
 */
export interface PoolFault {
  kind: 'restarted' | 'stopped';
  reason: string;
  /** The dead worker's runs. */
  runIds: string[];
  /** The lowest step they go on from (0 where one is rebuilt from its seed). */
  from: number;
  /** How many of them had no checkpoint and are rebuilt from their seeds. */
  rebuilt: number;
  /** The step every run of the comparison is held to meanwhile. */
  target: number;
}

export interface CompareState {
  /** The runs of the comparison (core/compare/plan.ts), model-major. */
  plans: CompareRunPlan[];
  /** By runId. */
  runs: Record<string, CompareRunView>;
  /** The user's intent: all runs advance together. */
  playing: boolean;
  /** Workers in the pool (min(hardwareConcurrency - 1, 4), at least 1). */
  poolSize: number;
  /** Read from a comparison file and not training (Play trains the same plan again from step 0). */
  imported?: boolean;
  /** Lockstep speed while playing: steps per second of each run (all runs alike), 0 when not playing. */
  stepsPerSecond: number;
  /** The latest death of a pool worker, until dismissed (absent: none). */
  fault?: PoolFault | null;
}

/**
 * The store's compare slice: the state and the intents the compare view dispatches. Entering
 * and leaving compare mode is a change of the `compare` / `seeds` params (so the link follows);
 * the slice starts and stops the worker pool when they change.
 */
export interface CompareSlice {
  /** Null outside compare mode. */
  compare: CompareState | null;
  /** Enters compare mode with these models (empty: back to the single run) and seeds per model. */
  setCompare(models: string[], seeds: number): void;
  comparePlay(): void;
  comparePause(): void;
  compareTogglePlay(): void;
  /** Every run advances `steps` steps (default 1), in lockstep. */
  compareStep(steps?: number): void;
  /** Every run rebuilt from its seed (step 0). */
  compareReset(): void;
  /** Leaves compare mode and opens this run in the single-run view: its model and seed become the params. */
  openCompareRun(runId: string): void;
  /** Starts fresh workers for the runs of pool workers that died and wait (PoolFault 'stopped'). */
  compareRestartWorkers(): void;
  compareDismissFault(): void;
}
