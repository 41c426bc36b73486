/**
 * Snapshot assembly, pure: the Snapshot the page receives from what the host knows at one
 * step, and the list of its buffers to transfer (not copy) across to the page.
 */
import type { GpuGroupStats } from './gpu/gpuGrouping';
import type { ModelKind } from '../core/config';
import type { GridSpec } from '../core/grid';
import type { ParamCount } from '../core/model/paramCount';
import type { Inspection } from '../core/run';
import { networkViewArrays, type NetworkView } from '../core/networkView';
import type {
  BackendName,
  FrameMessage,
  ImageEval,
  MetricPoint,
  RunStatus,
  SessionThreeStart,
  Snapshot,
  SnapshotBootstrap,
} from './protocol';

/** The built model as the snapshot describes it (null while none stands). */
export interface BuiltModel {
  session: 2 | 3;
  kind: ModelKind;
  hidden: number[];
  paramCount: ParamCount;
}

export interface SnapshotInput {
  runId: string;
  status: RunStatus;
  message: string | null;
  step: number;
  epoch: number;
  /** Training steps per second (0 unless playing). */
  stepsPerSecond: number;
  backend: { name: BackendName; reason: string };
  model: BuiltModel | null;
  /** The model the params ask for, named while none is built. */
  paramsModel: ModelKind;
  history: MetricPoint[];
  /** 'metrics' leaves out the costly read-outs (the page keeps the last full ones). */
  kind: 'full' | 'metrics';
  view: Inspection | null;
  /** g after Session I; copied into every full snapshot (the host keeps its own). */
  gInit: Float32Array | null;
  images: ImageEval | null;
  grids: { argument: GridSpec; input: GridSpec };
  /** The latest bootstrap verdict (full snapshots carry it; metrics-only ones leave it to the page's merge). */
  bootstrap?: SnapshotBootstrap | null;
  /** Where Session III began (every snapshot carries it: it is small). */
  sessionThree?: SessionThreeStart | null;
  /** Not computed this time (pacing.ts decisionDue): the snapshot's decision is undefined and the page keeps its last one. */
  decisionKept?: boolean;
  /** The network view's read-out (full snapshots of 2D runs; see networkReadout.ts); undefined: not read this time. */
  network?: NetworkView | null;
  /** How the WebGPU fused step dispatched the run's steps (every tier; null on other engines). */
  gpuGroup?: GpuGroupStats | null;
}

const NO_PARAMS: ParamCount = { outer: 0, inner: 0, total: 0 };

export function assembleSnapshot(i: SnapshotInput): { snapshot: Snapshot; transfer: Transferable[] } {
  const full = i.kind === 'full';
  const view = full ? i.view : null;
  const snapshot: Snapshot = {
    runId: i.runId,
    status: i.status,
    message: i.message,
    step: i.step,
    epoch: i.epoch,
    session: i.model?.session ?? 2,
    stepsPerSecond: i.stepsPerSecond,
    backend: i.backend.name,
    backendReason: i.backend.reason,
    model: i.model?.kind ?? i.paramsModel,
    hidden: i.model?.hidden ?? [],
    paramCount: i.model?.paramCount ?? NO_PARAMS,
    history: i.history,
    g: view?.g ? { grid: i.grids.argument, values: view.g, step: i.step } : null,
    partial: !full,
    // A copy: the host keeps gInit for every later full snapshot, and this one is transferred.
    gInit: i.gInit && full ? { grid: i.grids.argument, values: i.gInit.slice() } : null,
    density: view?.density ? { grid: i.grids.argument, ...view.density } : null,
    analysis: view?.analysis ?? null,
    g1d: view?.g1d ?? null,
    decision: view?.decision ? { grid: i.grids.input, values: view.decision } : full && i.decisionKept ? undefined : null,
    images: i.images,
    bootstrap: full ? (i.bootstrap ?? null) : null,
    sessionThree: i.model?.session === 3 ? (i.sessionThree ?? null) : null,
    // undefined (not read: the page does not show it) stays so, and the page keeps its last one.
    network: full ? i.network : null,
    gpuGroup: i.gpuGroup ?? null,
  };
  return { snapshot, transfer: transferList(snapshot) };
}

/**
 * The timeline frame of a read-out at `step`, or null without a two-argument g. `copy`: when
 * the same read-out also goes out in a snapshot (its buffers are transferred there).
 */
export function assembleFrame(
  runId: string,
  step: number,
  view: Inspection,
  grid: GridSpec,
  copy: boolean,
): { frame: FrameMessage; transfer: Transferable[] } | null {
  if (!view.g) return null;
  const own = <T extends Float32Array | Uint8Array>(a: T): T => (copy ? (a.slice() as T) : a);
  const d = view.density;
  const frame: FrameMessage = {
    type: 'frame',
    runId,
    step,
    g: { grid, values: own(view.g) },
    density: d ? { grid, all: own(d.all), perLayer: [], mask: own(d.mask) } : null,
    analysis: view.analysis,
  };
  const transfer = [frame.g.values.buffer, ...(frame.density ? [frame.density.all.buffer, frame.density.mask.buffer] : [])];
  return { frame, transfer: [...new Set(transfer)] as Transferable[] };
}

/** The distinct buffers of a snapshot's typed arrays (a buffer listed twice would fail postMessage). */
export function transferList(s: Snapshot): Transferable[] {
  const arrays = [
    s.g?.values,
    s.gInit?.values,
    s.decision?.values,
    s.density?.all,
    s.density?.mask,
    ...(s.density?.perLayer ?? []),
    s.g1d?.xs,
    s.g1d?.ys,
    s.images?.confusion,
    s.images?.perClassAccuracy,
    s.images?.samplePredicted,
    ...(s.network ? networkViewArrays(s.network) : []),
  ];
  const buffers = new Set<ArrayBufferLike>();
  for (const a of arrays) if (a) buffers.add(a.buffer);
  return [...buffers] as Transferable[];
}
