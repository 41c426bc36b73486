/**
 * The results folder of a sweep: `results/<sweep>/` holds sweep.json (the sweep as run), one
 * `<run-id>.json` per run and, after the report, summary.json and summary.csv. A shard writes to
 * `results/<sweep>/shard-<i>-of-<n>/`; merging copies the shards' run files up, refusing two
 * different files for one run. Finished runs are recognised by a result file that validates.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runResultSchema, stringifyResult } from '../core/experiment/resultSchema';
import type { RunResult } from '../core/experiment/runPlan';
import { describeIssues } from '../core/experiment/sweep';

export const SWEEP_FILE = 'sweep.json';
const RESERVED = new Set([SWEEP_FILE, 'summary.json']);

export function shardFolder(root: string, index: number, count: number): string {
  return count > 1 ? join(root, `shard-${index}-of-${count}`) : root;
}

/** Writes the sweep as run, or checks that the folder already holds the same sweep. */
export function claimFolder(folder: string, sweepText: string): void {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, SWEEP_FILE);
  const canonical = JSON.stringify(JSON.parse(sweepText), null, 2) + '\n';
  if (existsSync(path)) {
    if (readFileSync(path, 'utf8') !== canonical)
      throw new Error(`${folder} holds results of a different sweep file; use another folder or remove it`);
    return;
  }
  writeFileSync(path, canonical);
}

/** The validated result in a file, or the reasons it is not one. */
export function readResult(path: string): { ok: true; result: RunResult } | { ok: false; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return { ok: false, errors: [`not readable JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  const parsed = runResultSchema.safeParse(raw);
  return parsed.success ? { ok: true, result: parsed.data } : { ok: false, errors: describeIssues(parsed.error) };
}

/** True when the run's file exists and validates (then a rerun skips it). */
export function isFinished(folder: string, id: string): boolean {
  const path = join(folder, `${id}.json`);
  return existsSync(path) && readResult(path).ok;
}

/** Written to a temporary name first, so an interrupted run never leaves a half file that counts. */
export function writeResult(folder: string, result: RunResult): void {
  const path = join(folder, `${result.id}.json`);
  writeFileSync(`${path}.partial`, stringifyResult(result));
  renameSync(`${path}.partial`, path);
}

/** Every valid run result directly in a folder, plus the files refused and why. */
export function readResults(folder: string): { results: RunResult[]; refused: string[] } {
  const results: RunResult[] = [];
  const refused: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.json') || RESERVED.has(name)) continue;
    const r = readResult(join(folder, name));
    if (r.ok) results.push(r.result);
    else refused.push(`${name}: ${r.errors.slice(0, 3).join('; ')}`);
  }
  return { results, refused };
}

/** Copies the run files of every shard folder into the sweep folder; returns how many were merged. */
export function mergeShards(root: string): { merged: number; shards: number } {
  const shards = readdirSync(root)
    .filter((n) => /^shard-\d+-of-\d+$/.test(n))
    .sort();
  if (shards.length === 0) throw new Error(`${root} has no shard-<i>-of-<n> folders to merge`);
  let sweepText: string | null = null;
  let merged = 0;
  for (const shard of shards) {
    const folder = join(root, shard);
    const text = readFileSync(join(folder, SWEEP_FILE), 'utf8');
    if (sweepText !== null && text !== sweepText) throw new Error(`${shard} ran a different sweep file than the other shards`);
    sweepText = text;
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith('.json') || RESERVED.has(name)) continue;
      const check = readResult(join(folder, name));
      if (!check.ok) throw new Error(`${shard}/${name} is not a valid result: ${check.errors[0]}`);
      const bytes = readFileSync(join(folder, name));
      const target = join(root, name);
      if (existsSync(target) && !readFileSync(target).equals(bytes))
        throw new Error(`${name} differs between shards (or from an earlier merge)`);
      writeFileSync(target, bytes);
      merged += 1;
    }
  }
  claimFolder(root, sweepText!);
  return { merged, shards: shards.length };
}
