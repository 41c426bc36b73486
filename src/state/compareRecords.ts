/**
 * How the page's record of a compare run (CompareRunView) follows the worker's messages, as
 * pure functions: a snapshot replaces the counts and the history and, when full, the read-outs
 * (a metrics-only one keeps the last full ones, as mergeSnapshot does for the single run); the
 * step-0 timeline frame gives the null (g's analysis before training); every new bootstrap
 * verdict joins the verdict history, which stays bounded.
 */
import type { CompareRunPlan } from '../core/compare/plan';
import type { FrameMessage, Snapshot } from '../worker/protocol';
import type { CompareRunView, TimedVerdict } from './compareTypes';

export type VerdictHistory = CompareRunView['verdictHistory'];

/**
 * A run's verdict history after a snapshot (the single run's and a compare run's alike): a
 * snapshot behind the history's last step is a new run (rebuilt, reset), which starts afresh.
 */
export function followVerdicts(history: VerdictHistory, s: Pick<Snapshot, 'step' | 'bootstrap'>): VerdictHistory {
  const last = history[history.length - 1];
  const current = last && s.step < last.step ? [] : history;
  // A verdict from beyond the snapshot's step belongs to the run before a reset.
  return s.bootstrap && s.bootstrap.step <= s.step ? pushVerdict(current, s.bootstrap) : current;
}

/** At most this many verdicts are kept per run for the history strip (evenly thinned beyond half of it). */
export const MAX_VERDICT_HISTORY = 200;

/**
 * The history with `v` added when it is a new verdict (a later step), evenly thinned: steps are
 * cut into buckets of a power-of-two width, the smallest that makes at most MAX / 2 buckets
 * over the run, and the first verdict of each bucket is kept, plus the newest. As the run grows
 * the width doubles and each bucket merges with its neighbour (like BoundedHistory's stride),
 * so the entries stay evenly spread, the oldest and the newest always there, without any state
 * beyond the list itself.
 */
export function pushVerdict(history: CompareRunView['verdictHistory'], v: TimedVerdict): CompareRunView['verdictHistory'] {
  const last = history[history.length - 1];
  if (last && last.step >= v.step) return history;
  const next = [...history, { step: v.step, verdict: v.verdict }];
  const first = next[0].step;
  let width = 1;
  while (Math.floor(v.step / width) - Math.floor(first / width) + 1 > MAX_VERDICT_HISTORY / 2) width *= 2;
  const kept: typeof next = [];
  let bucket = -Infinity;
  for (const e of next.slice(0, -1)) {
    const b = Math.floor(e.step / width);
    if (b > bucket) kept.push(e);
    bucket = b;
  }
  kept.push(next[next.length - 1]);
  return kept;
}

/** A run's record before its worker has said anything. */
export function newCompareRecord(plan: CompareRunPlan): CompareRunView {
  return {
    runId: plan.runId,
    model: plan.model,
    seed: plan.seed,
    seedIndex: plan.seedIndex,
    step: 0,
    status: 'building',
    message: null,
    diverged: false,
    paramTotal: null,
    hidden: [],
    history: [],
    g: null,
    gInit: null,
    g1d: null,
    density: null,
    analysis: null,
    analysisInit: null,
    bootstrap: null,
    verdictHistory: [],
    progress: null,
  };
}

export function applyCompareSnapshot(rec: CompareRunView, s: Snapshot): CompareRunView {
  const full = !s.partial;
  const built = s.status !== 'building' && s.status !== 'error' && s.paramCount.total > 0;
  const bootstrap = s.bootstrap === undefined || (s.partial && s.bootstrap === null) ? rec.bootstrap : s.bootstrap;
  return {
    ...rec,
    step: s.step,
    status: s.status,
    message: s.message,
    diverged: s.status === 'diverged',
    paramTotal: built ? s.paramCount.total : rec.paramTotal,
    hidden: built ? s.hidden : rec.hidden,
    history: s.history,
    g: full ? s.g : rec.g,
    gInit: full ? s.gInit : rec.gInit,
    g1d: full ? s.g1d : rec.g1d,
    density: full ? s.density : rec.density,
    analysis: full ? s.analysis : rec.analysis,
    // The step-0 snapshot's analysis is the null too, when its frame was not seen.
    analysisInit: rec.analysisInit ?? (full && s.step === 0 && s.session === 2 ? s.analysis : null),
    bootstrap,
    verdictHistory: bootstrap && bootstrap !== rec.bootstrap ? pushVerdict(rec.verdictHistory, bootstrap) : rec.verdictHistory,
    progress: null,
    gpuGroup: s.gpuGroup ?? null,
  };
}

/** The step-0 frame carries g's analysis before training: the comparison's null. */
export function applyCompareFrame(rec: CompareRunView, f: FrameMessage): CompareRunView {
  return f.step === 0 && f.analysis ? { ...rec, analysisInit: f.analysis } : rec;
}

export function failCompareRecord(rec: CompareRunView, message: string): CompareRunView {
  return { ...rec, status: 'error', message, progress: null };
}
