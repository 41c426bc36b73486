/**
 * From playground Params to core configurations (pure: no tensors), including the parameter
 * matching of baselines. Node scripts that must not load tfjs (the benchmark driver) use it too.
 */
import type { ModelConfig, TrainConfig } from './config';
import { countParams, matchWidths } from './model/paramCount';
import type { Params } from './params';
import { sessionOnePlan, type SessionOneSchedule } from './train/sessionOnePlan';

export interface RunSpec {
  model: ModelConfig;
  train: TrainConfig;
  seed: number;
  /** Optimizer steps of Session I (0: g keeps its Xavier initialisation). */
  pretrainSteps: number;
  /** How Session I fits g; the app's "visible" schedule when absent. */
  sessionOne?: SessionOneSchedule;
}

/** The two-argument model the playground would build from these params (the matching target). */
export function twoArgReference(p: Params, inputSize: number, outputSize: number, head: ModelConfig['head']): ModelConfig {
  return {
    kind: 'twoArg',
    inputSize,
    hidden: [...p.hidden],
    outputSize,
    head,
    layerNorm: p.ln,
    inner: { hidden: [...p.inner], activation: p.innerAct },
    innerShared: p.innerShared,
    dropout: p.dropout,
  };
}

/** Translates playground Params into core configurations, matching parameter counts if asked. */
export function specFromParams(p: Params, inputSize = 2, outputSize = 1, head: ModelConfig['head'] = 'binary'): RunSpec {
  const reference = twoArgReference(p, inputSize, outputSize, head);
  const model: ModelConfig = { ...reference, kind: p.model };
  if (p.match && p.model !== 'twoArg') {
    model.hidden = matchWidths(reference, p.model, countParams(reference).total);
  }
  // `pretrain` counts steps ("visible") or epochs over the grid ("paper"); g's input size sets the grid.
  const sessionOne = sessionOnePlan(p.sessionOne, p.pretrain, p.model === 'twoArg' ? 2 : 1);
  return {
    model,
    train: { optimizer: p.optimizer, learningRate: p.lr, momentum: 0.9, batchSize: p.batch, l2: p.l2 },
    seed: p.seed,
    pretrainSteps: sessionOne.steps,
    sessionOne: sessionOne.schedule,
  };
}
