/**
 * The two engines a headless run can train on, behind one small interface: the fused CPU engine
 * (WebAssembly SIMD, about 10-50x faster; the default) and the tfjs path (the reference). Attacks
 * always run through tfjs: the fused engine's weights are copied into a tfjs Network of the same
 * configuration (same variable order), which gives input gradients without a second backward pass.
 */
import type { GridSpec } from '../grid';
import { gridPoints } from '../grid';
import { FusedRun, type KernelFactory } from '../fused';
import { collectArguments, evaluateInnerOnGrid } from '../inspect';
import { Network } from '../model/network';
import type { ParamCount } from '../model/paramCount';
import { tfjsAttackTarget } from '../robustness/tfjsTarget';
import type { AttackTarget } from '../robustness/attacks';
import { Run, type RunSpec } from '../run';
import type { Metrics, TrainingData } from '../train/trainer';

export interface EngineRun {
  readonly step: number;
  readonly epoch: number;
  readonly hiddenUnits: number[];
  readonly paramCount: ParamCount;
  /** True when the model has a two-argument g to analyse. */
  readonly hasG2: boolean;
  trainSteps(n: number): Promise<void>;
  evaluate(): Promise<Metrics>;
  /** The first g(a, b) on a grid (row-major, b outer). */
  gOnGrid(grid: GridSpec): Promise<Float32Array>;
  /** Per hidden layer, the (a, b) pairs of every unit for the examples x. */
  argumentsFor(x: Float32Array): Promise<Float32Array[]>;
  innerWeights(): Promise<Float32Array[]>;
  /** An attack target on the current weights; `release` frees what it holds. */
  attackTarget(batch: number): { target: AttackTarget; release: () => void };
  dispose(): void;
}

export type EngineFactory = (spec: RunSpec, data: TrainingData) => Promise<EngineRun>;

export const tfjsEngine: EngineFactory = async (spec, data) => {
  const run = await Run.create(spec, data);
  const net = run.net;
  return {
    get step() {
      return run.trainer.step;
    },
    get epoch() {
      return run.trainer.epoch;
    },
    hiddenUnits: net.hiddenUnits,
    paramCount: run.paramCount,
    hasG2: net.perUnit === 2 && net.inner.length > 0,
    async trainSteps(n) {
      const loss = run.trainer.trainSteps(n);
      await loss.data();
      loss.dispose();
    },
    evaluate: () => run.evaluate(),
    gOnGrid: (grid) => evaluateInnerOnGrid(net.inner[0], grid),
    argumentsFor: (x) => collectArguments(net, x),
    innerWeights: () => Promise.all(net.innerVariables().map(async (v) => (await v.data()) as Float32Array)),
    attackTarget: (batch) => ({ target: tfjsAttackTarget(net, spec.model.head, batch), release: () => undefined }),
    dispose: () => run.dispose(),
  };
};

export function fusedEngine(kernels: KernelFactory): EngineFactory {
  return async (spec, data) => {
    const run = await FusedRun.create(spec, data, kernels);
    return {
      get step() {
        return run.step;
      },
      get epoch() {
        return run.epoch;
      },
      hiddenUnits: run.hiddenUnits,
      paramCount: run.paramCount,
      hasG2: run.net.perUnit === 2 && run.net.innerCopies > 0,
      trainSteps(n) {
        run.trainSteps(n);
        return Promise.resolve();
      },
      evaluate: () => Promise.resolve(run.evaluate()),
      gOnGrid: (grid) => Promise.resolve(run.net.evaluateInner(0, gridPoints(grid))),
      argumentsFor: (x) => Promise.resolve(run.collectArguments(x)),
      innerWeights: () => Promise.resolve(run.exportInnerWeights()),
      attackTarget: (batch) => {
        // Attacks use no dropout; a tfjs copy of the same network with the fused weights.
        const net = new Network({ ...spec.model, dropout: 0 }, spec.seed);
        net.importWeights(run.exportWeights());
        return { target: tfjsAttackTarget(net, spec.model.head, batch), release: () => net.dispose() };
      },
      dispose: () => run.dispose(),
    };
  };
}
