/**
 * Runs a sweep file's share of runs in this process, skipping runs already finished in the
 * output folder (so an interrupted sweep resumes where it stopped), with a progress line per
 * run and an ETA for the shard.
 */
import type { EngineFactory } from '../core/experiment/engines';
import { executeRun } from '../core/experiment/runPlan';
import { expandSweep, parseSweep, shardPlans } from '../core/experiment/sweep';
import { claimFolder, isFinished, shardFolder, writeResult } from './resultFiles';
import { loadRunData } from './runData';

export interface SweepOptions {
  /** The sweep's results folder (results/<name> by default). */
  root: string;
  shard: { index: number; count: number };
  dataDir: string;
  engine: EngineFactory;
  log?: (line: string, transient?: boolean) => void;
}

export interface SweepOutcome {
  folder: string;
  ran: string[];
  skipped: string[];
}

function eta(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.floor(s / 60)} min ${s % 60} s`
      : `${s} s`;
}

export async function runSweep(sweepText: string, options: SweepOptions): Promise<SweepOutcome> {
  const parsed = parseSweep(sweepText);
  if (!parsed.ok) throw new Error(`the sweep file is not valid:\n  ${parsed.errors.join('\n  ')}`);
  const { index, count } = options.shard;
  const plans = shardPlans(expandSweep(parsed.sweep, parsed.base), index, count);
  const folder = shardFolder(options.root, index, count);
  claimFolder(folder, sweepText);
  const log = options.log ?? (() => undefined);
  const outcome: SweepOutcome = { folder, ran: [], skipped: [] };
  const todo = plans.filter((p) => {
    const done = isFinished(folder, p.id);
    if (done) outcome.skipped.push(p.id);
    return !done;
  });
  if (outcome.skipped.length > 0) log(`${outcome.skipped.length} finished run(s) skipped: ${outcome.skipped.join(', ')}`);
  const started = Date.now();
  for (const [i, plan] of todo.entries()) {
    const runStart = Date.now();
    const data = loadRunData(plan.params, options.dataDir);
    const result = await executeRun(parsed.sweep, plan, data, options.engine, (done, total) => {
      const elapsed = Date.now() - runStart;
      const perRun = (Date.now() - started - elapsed) / Math.max(1, i) || (elapsed / done) * total;
      const left = (elapsed / done) * (total - done) + perRun * (todo.length - i - 1);
      const bar = '#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.');
      log(`[${i + 1}/${todo.length}] ${plan.id} [${bar}] ${done}/${total} steps, ETA ${eta(left)}`, true);
    });
    writeResult(folder, result);
    outcome.ran.push(plan.id);
    const last = result.metrics[result.metrics.length - 1];
    log(
      `[${i + 1}/${todo.length}] ${plan.id}: test accuracy ${(100 * last.testAcc).toFixed(1)}% after ${last.step} steps (${((Date.now() - runStart) / 1000).toFixed(1)} s)`,
    );
  }
  return outcome;
}
