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

/** Verdicts kept per run for the history strip; beyond it every other one is dropped (evenly thinned). */
export const MAX_VERDICT_HISTORY = 200;

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

/** The history with `v` added when it is a new verdict (a later step), thinned to MAX_VERDICT_HISTORY. */
export function pushVerdict(history: CompareRunView['verdictHistory'], v: TimedVerdict): CompareRunView['verdictHistory'] {
  const last = history[history.length - 1];
  if (last && last.step >= v.step) return history;
  const next = [...history, { step: v.step, verdict: v.verdict }];
  // Halving keeps the entries evenly spread over the run, the oldest and the newest always.
  return next.length > MAX_VERDICT_HISTORY ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next;
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
  };
}

/** The step-0 frame carries g's analysis before training: the comparison's null. */
export function applyCompareFrame(rec: CompareRunView, f: FrameMessage): CompareRunView {
  return f.step === 0 && f.analysis ? { ...rec, analysisInit: f.analysis } : rec;
}

export function failCompareRecord(rec: CompareRunView, message: string): CompareRunView {
  return { ...rec, status: 'error', message, progress: null };
}
