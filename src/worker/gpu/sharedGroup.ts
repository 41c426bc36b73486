/// <reference types="@webgpu/types" />
/**
 * Runs that share one GPU group (compare mode's seeds of one model): one GpuFusedGroup holds
 * every member's weights, slots and scratch, and the members' training requests made in the same
 * turn (lockstep.ts starts them together) become one queue submission, every dispatch one
 * workgroup per run. Each member keeps its own engine (gpuEngine.ts: its CPU shadow, cursor,
 * checkpoints); this class only decides what goes onto and off the device, and when:
 * - a member joining or leaving changes the allocation at the next use (members whose newest
 *   state is on the device are read back first, then uploaded into the new buffers);
 * - a dispatch trains every slot, so a member not in it is read back first (if the device holds
 *   its newest state) and uploaded again before it next trains;
 * - reads and submissions are serialised on one chain, so a read sees exactly the steps before it.
 * Requests of unequal length train the shortest for all; a longer one asks again for the rest.
 */
import { GpuRunCursor } from '../../core/fused/gpu/chunkPlan';
import type { GpuPlan } from '../../core/fused/gpu/gpuPlan';
import type { GpuRunState } from '../../core/fused/gpu/runState';
import type { TrainConfig } from '../../core/config';
import { yieldToEventLoop } from '../eventLoop';
import { GpuFusedGroup, type GpuGroupData } from './fusedGroup';
import type { GpuGroupStats } from './gpuGrouping';

/** What the group needs of a member run (GpuFusedRun in gpuEngine.ts). */
export interface GroupMember {
  readonly cursor: GpuRunCursor;
  /** The device holds newer state of this run than its CPU shadow. */
  gpuAhead: boolean;
  /** The run's slot on the device does not hold its current state (upload before training). */
  shadowAhead: boolean;
  /** Changes wait for the device's state (applied by takeFromGpu). */
  readonly hasPending: boolean;
  /** The device's copy of the run's state, read back: into the shadow (gpuAhead becomes false, waiting changes apply). */
  takeFromGpu(state: GpuRunState): void;
  /** The run's state to upload (shadowAhead becomes false; the cursor takes the shadow's optimizer count). */
  stateForUpload(): GpuRunState;
  /** Whether the run still trains in this group (a change applied meanwhile may have moved it elsewhere). */
  belongsTo(group: SharedGpuGroup): boolean;
  /** Chunks this run trained on the device (counted by the group). */
  chunks: number;
}

/** After a round: the last step's loss and weight norm, and the steps trained (the shortest request of the round). */
type Report = { loss: number; norm: number; steps: number };

interface Request {
  steps: number;
  /** The report, or null: train again elsewhere (the run changed shape or left). */
  resolve(report: Report | null): void;
  reject(e: unknown): void;
}

/** What the group uses of a GpuFusedGroup (the unit tests pass a fake). */
export type GroupBuffers = Pick<GpuFusedGroup, 'writeRun' | 'readRuns' | 'train' | 'readReport' | 'destroy' | 'submissions' | 'dispatches'>;
export type CreateBuffers = (
  device: GPUDevice,
  plan: GpuPlan,
  runs: number,
  data: GpuGroupData,
  chunkSteps: number,
) => Promise<GroupBuffers>;

/** Steps one queue submission holds (a longer chunk is several submissions). */
export const SUBMISSION_STEPS = 64;

export class SharedGpuGroup {
  private readonly members: GroupMember[] = [];
  /** The allocation and the members in its slots (slot = index), or null before the first use. */
  private gpu: GroupBuffers | null = null;
  private slots: GroupMember[] = [];
  private requests = new Map<GroupMember, Request>();
  private flushScheduled = false;
  private chain: Promise<unknown> = Promise.resolve();
  private destroyed = false;
  /** A member settings template for the slots of members that sit a dispatch out (their steps are thrown away). */
  private idleCursor: GpuRunCursor | null = null;
  /** Rounds trained (one or more submissions each, every participant together) and member-chunks served. */
  private rounds = 0;
  private runChunks = 0;
  private submissions = 0;
  private dispatches = 0;

  constructor(
    readonly device: GPUDevice,
    readonly plan: GpuPlan,
    readonly data: GpuGroupData,
    /** Called once the last member has left (the registry forgets the group). */
    private readonly onEmpty: () => void = () => undefined,
    private readonly create: CreateBuffers = (...args) => GpuFusedGroup.create(...args),
  ) {}

  get size(): number {
    return this.members.length;
  }

  stats(member: GroupMember): GpuGroupStats {
    return {
      runs: this.members.length,
      chunks: member.chunks,
      rounds: this.rounds,
      runChunks: this.runChunks,
      submissions: this.submissions + (this.gpu?.submissions ?? 0),
      dispatches: this.dispatches + (this.gpu?.dispatches ?? 0),
    };
  }

  join(member: GroupMember): void {
    if (this.destroyed) throw new Error('this GPU group was destroyed');
    if (!this.members.includes(member)) this.members.push(member);
    member.shadowAhead = true;
  }

  /** Allocates for the members now (compiling the step): a model the device refuses fails here. */
  prepare(): Promise<void> {
    return this.serial(async () => {
      await this.allocate();
    });
  }

  /** Leaves the group, reading the member's state back first when the device holds its newest. */
  leave(member: GroupMember): Promise<void> {
    return this.serial(async () => {
      if (member.gpuAhead && this.gpu) {
        const slot = this.slots.indexOf(member);
        if (slot >= 0) member.takeFromGpu((await this.gpu.readRuns())[slot]);
      }
      this.drop(member);
    });
  }

  /** Leaves at once without reading anything (the run is disposed; its device may be lost). */
  drop(member: GroupMember): void {
    const at = this.members.indexOf(member);
    if (at < 0) return;
    this.members.splice(at, 1);
    const request = this.requests.get(member);
    this.requests.delete(member);
    request?.reject(new Error('the run left its GPU group'));
    if (this.members.length === 0) this.destroy();
  }

  /** Reads the member's state back into its shadow (when the device holds its newest). */
  pull(member: GroupMember): Promise<void> {
    return this.serial(async () => {
      if (!member.gpuAhead || !this.gpu) return;
      const slot = this.slots.indexOf(member);
      if (slot >= 0) member.takeFromGpu((await this.gpu.readRuns())[slot]);
    });
  }

  /**
   * Asks for `steps` steps of the member: trained with every other member's request made before
   * the worker's next turn, in one submission. The report says how many were trained (fewer when
   * another member asked for fewer). Null: the member no longer fits the group (place it again).
   */
  request(member: GroupMember, steps: number): Promise<Report | null> {
    if (!this.members.includes(member)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.requests.set(member, { steps, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      // After a macrotask: every member of the turn has asked by then.
      void yieldToEventLoop().then(() => {
        this.flushScheduled = false;
        void this.serial(() => this.flush()).catch(() => undefined);
      });
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The allocation for the current members (after reading back those whose newest state is on the old one). */
  private async allocate(): Promise<GroupBuffers> {
    if (this.destroyed) throw new Error('this GPU group was destroyed');
    if (this.gpu && sameMembers(this.slots, this.members)) return this.gpu;
    const old = this.gpu;
    if (old) {
      const ahead = this.slots.filter((m) => m.gpuAhead);
      if (ahead.length) {
        const states = await old.readRuns();
        for (const m of ahead) if (this.members.includes(m)) m.takeFromGpu(states[this.slots.indexOf(m)]);
      }
      this.submissions += old.submissions;
      this.dispatches += old.dispatches;
      old.destroy();
      this.gpu = null;
      this.slots = [];
    }
    const members = [...this.members];
    const gpu = await this.create(this.device, this.plan, members.length, this.data, SUBMISSION_STEPS);
    if (this.destroyed) {
      gpu.destroy();
      throw new Error('this GPU group was destroyed');
    }
    for (const m of members) m.shadowAhead = true;
    this.gpu = gpu;
    this.slots = members;
    return gpu;
  }

  /** One round: every member that asked trains the shortest request's steps, in one submission per SUBMISSION_STEPS. */
  private async flush(): Promise<void> {
    const requests = this.requests;
    this.requests = new Map();
    if (requests.size === 0) return;
    try {
      const gpu = await this.allocate();
      let taking = this.slots.filter((m) => requests.has(m));
      // Read back, in one read, every run whose newest state is on the device and that either sits
      // this dispatch out (its slot is trained over) or has changes waiting for that state.
      const reading = this.slots.filter((m) => m.gpuAhead && (!requests.has(m) || m.hasPending));
      if (reading.length) {
        const states = await gpu.readRuns();
        for (const m of reading) m.takeFromGpu(states[this.slots.indexOf(m)]);
      }
      // A change just applied may have moved a run out of this group: it places itself again.
      for (const m of taking.filter((r) => !r.belongsTo(this))) {
        requests.get(m)!.resolve(null);
        requests.delete(m);
      }
      taking = taking.filter((m) => requests.has(m));
      if (taking.length === 0) return;
      // Whatever is in the other slots now gets trained over: they upload again before they next train.
      for (const m of this.slots) if (!requests.has(m)) m.shadowAhead = true;
      for (const m of taking) if (m.shadowAhead) gpu.writeRun(this.slots.indexOf(m), m.stateForUpload());
      const steps = Math.min(...taking.map((m) => requests.get(m)!.steps));
      const cursors = this.slots.map((m) => (requests.has(m) ? m.cursor : this.idle(m.cursor.settings)));
      for (let done = 0; done < steps; done += SUBMISSION_STEPS) gpu.train(cursors, Math.min(SUBMISSION_STEPS, steps - done));
      for (const m of taking) m.gpuAhead = true;
      const report = await gpu.readReport();
      this.rounds += 1;
      this.runChunks += taking.length;
      for (const m of taking) {
        m.chunks += 1;
        const request = requests.get(m)!;
        request.resolve({ ...report[this.slots.indexOf(m)], steps });
      }
    } catch (e) {
      for (const r of requests.values()) r.reject(e);
      throw e;
    }
  }

  /** A cursor for a slot that sits the dispatch out: its own stream, so no member's batches move. */
  private idle(settings: TrainConfig): GpuRunCursor {
    if (!this.idleCursor || this.idleCursor.batchSize !== this.plan.batch) {
      this.idleCursor = GpuRunCursor.fromSeed(0, this.data.y.length, { ...settings, batchSize: this.plan.batch });
    }
    return this.idleCursor;
  }

  private destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.gpu?.destroy();
    this.gpu = null;
    this.slots = [];
    this.onEmpty();
  }
}

function sameMembers(a: readonly GroupMember[], b: readonly GroupMember[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

/** The groups runs can join, by share tag and compiled step (gpuGrouping.ts). */
const registry = new Map<string, SharedGpuGroup>();

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/**
 * The group a run of `plan` on `data` joins: the one of its share tag and step on this device when
 * it trains on the same data, else a new one (registered under the tag, unless the tag is null:
 * a run that trains alone).
 */
export function sharedGroupFor(device: GPUDevice, plan: GpuPlan, data: GpuGroupData, tag: string | null, stepCode: string): SharedGpuGroup {
  if (tag === null) return new SharedGpuGroup(device, plan, data);
  const key = `${tag}\n${stepCode}`;
  const found = registry.get(key);
  if (found && found.device === device) {
    if (sameValues(found.data.x, data.x) && sameValues(found.data.y, data.y)) return found;
    // The same model on other data (cannot happen for a comparison's runs): it trains alone.
    return new SharedGpuGroup(device, plan, data);
  }
  const group: SharedGpuGroup = new SharedGpuGroup(device, plan, data, () => {
    if (registry.get(key) === group) registry.delete(key);
  });
  registry.set(key, group);
  return group;
}
