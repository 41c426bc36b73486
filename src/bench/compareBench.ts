/**
 * The benchmark page's compare mode (bench.html?pool=N): the comparison the hash names (e.g.
 * compare=twoArg,oneArg,relu&seeds=4) on a pool of N workers, driven by the app's own pool and
 * lockstep barrier with no UI. Measures the time until every run has shown a full snapshot (the
 * first full grid), then lockstep steps per second per run and in total while playing, and the
 * page's longest main-thread task meanwhile. Writes the result as JSON into `out`.
 */
import { comparePlan } from '../core/compare/plan';
import type { Params } from '../core/params';
import { ComparePool } from '../state/comparePool';
import type { CompareBatch } from '../state/compareSlice';

export interface CompareBenchResult {
  poolSize: number;
  runs: number;
  firstFullGridMs: number;
  stepsPerSecondPerRun: number;
  stepsPerSecondTotal: number;
  longestTaskMs: number;
  failed: string[];
  /** The slowest run's step when the measurement started and ended (the single-run reference is taken over the same steps). */
  fromStep: number;
  toStep: number;
}

const WARM_UP_MS = 1000;

export function runCompareBench(
  params: Params,
  poolSize: number,
  durationMs: number,
  done: (result: CompareBenchResult | { error: string }) => void,
): void {
  const plans = comparePlan(params);
  if (plans.length === 0) {
    done({ error: 'the hash names no comparison (compare=...)' });
    return;
  }
  const started = performance.now();
  const tasks: number[] = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  const steps = new Map<string, number>();
  const full = new Set<string>();
  const failed: string[] = [];
  let firstFullGridMs: number | null = null;
  const slowest = () => Math.min(...plans.filter((p) => !failed.includes(p.runId)).map((p) => steps.get(p.runId) ?? 0));

  const onBatch = (batch: CompareBatch) => {
    for (const s of batch.snapshots) {
      steps.set(s.runId, s.step);
      if (!s.partial && s.status !== 'building') full.add(s.runId);
    }
    for (const f of batch.failures) failed.push(`${f.runId}: ${f.message}`);
    if (firstFullGridMs === null && full.size + failed.length >= plans.length) {
      firstFullGridMs = performance.now() - started;
      void measure();
    }
  };

  const pool = new ComparePool(plans, onBatch, {
    size: poolSize,
    createWorker: () => new Worker(new URL('../worker/train.worker.ts', import.meta.url), { type: 'module' }),
    dataBaseUrl: new URL('data/', document.baseURI).href,
  });

  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function measure(): Promise<void> {
    pool.play();
    await wait(WARM_UP_MS);
    tasks.length = 0;
    const s0 = slowest();
    const t0 = performance.now();
    await wait(durationMs);
    const s1 = slowest();
    const perRun = ((s1 - s0) * 1000) / (performance.now() - t0);
    pool.dispose();
    done({
      poolSize: pool.size,
      runs: plans.length,
      firstFullGridMs: firstFullGridMs!,
      stepsPerSecondPerRun: perRun,
      stepsPerSecondTotal: perRun * (plans.length - failed.length),
      longestTaskMs: Math.max(0, ...tasks),
      failed,
      fromStep: s0,
      toStep: s1,
    });
  }
}
