/**
 * Runs heavy drawing jobs (Plotly updates, canvas repaints) one per browser task, so two charts
 * that want to redraw at the same moment never add up to one long main-thread task: a task over
 * 50 ms makes the page feel stuck while training. A newer job from the same owner replaces its
 * queued one, because only the latest picture matters.
 *
 * This is a scheduler, not app state: it holds nothing the UI reads.
 */
type Job = () => void | Promise<unknown>;

export class RenderQueue {
  private readonly jobs = new Map<string, Job>();
  private busy = false;

  enqueue(owner: string, job: Job): void {
    this.jobs.set(owner, job);
    this.pump();
  }

  cancel(owner: string): void {
    this.jobs.delete(owner);
  }

  private pump(): void {
    if (this.busy || this.jobs.size === 0) return;
    this.busy = true;
    // A macrotask, not a microtask: the browser gets to paint and handle input between jobs.
    setTimeout(() => void this.runNext(), 0);
  }

  private async runNext(): Promise<void> {
    const next = this.jobs.entries().next();
    if (!next.done) {
      const [owner, job] = next.value;
      this.jobs.delete(owner);
      try {
        await job();
      } catch (err) {
        console.error(`drawing ${owner} failed`, err);
      }
    }
    this.busy = false;
    this.pump();
  }
}

/** The page's one drawing queue (every chart shares it so their work interleaves). */
export const renderQueue = new RenderQueue();
