/**
 * Configuration types of the core and their validation. Invalid configurations are rejected
 * with a ConfigError that names the field and the allowed range, before anything is built.
 */

export const MODEL_KINDS = ['twoArg', 'oneArg', 'relu', 'tanh', 'sigmoid', 'linear'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const INNER_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
export type InnerActivation = (typeof INNER_ACTIVATIONS)[number];

export const HEADS = ['binary', 'multiclass', 'regression'] as const;
export type Head = (typeof HEADS)[number];

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The learned activation network g: 2 -> hidden... -> 1 (or 1 -> ... -> 1 for oneArg). */
export interface InnerConfig {
  hidden: number[];
  activation: InnerActivation;
}

export interface ModelConfig {
  kind: ModelKind;
  inputSize: number;
  /** Units per hidden layer. A two-argument unit has two pre-activations. */
  hidden: number[];
  outputSize: number;
  head: Head;
  /** LayerNorm without learnable scale/shift over each layer's pre-activations (per example). */
  layerNorm: boolean;
  /** g's shape; used by twoArg and oneArg, ignored by fixed activations. */
  inner: InnerConfig;
  /** One g shared by every layer (the paper) or one g per layer. */
  innerShared: boolean;
  /** Dropout rate after each hidden layer, 0 to switch off. */
  dropout: number;
}

export interface TrainConfig {
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum (ignored by Adam). */
  momentum: number;
  batchSize: number;
  /** L2 penalty on weight matrices (not biases), added to the loss as l2/2 * sum(w^2). */
  l2: number;
}

export const LIMITS = {
  inputSize: [1, 4096],
  hiddenLayers: [0, 8],
  hiddenWidth: [1, 1024],
  outputSize: [1, 1000],
  innerLayers: [1, 3],
  innerWidth: [2, 64],
  dropout: [0, 0.9],
  learningRate: [1e-6, 10],
  momentum: [0, 0.999],
  batchSize: [1, 4096],
  l2: [0, 1],
} as const satisfies Record<string, readonly [number, number]>;

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

function checkNumber(field: string, value: unknown, [lo, hi]: readonly [number, number], integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(field, `must be a finite number in [${lo}, ${hi}], got ${String(value)}`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new ConfigError(field, `must be a whole number in [${lo}, ${hi}], got ${value}`);
  }
  if (value < lo || value > hi) {
    throw new ConfigError(field, `must be in [${lo}, ${hi}], got ${value}`);
  }
  return value;
}

function checkEnum<T extends string>(field: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new ConfigError(field, `must be one of ${options.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

function checkList(field: string, value: unknown, lengthRange: readonly [number, number], itemRange: readonly [number, number]): number[] {
  if (!Array.isArray(value)) throw new ConfigError(field, 'must be a list of whole numbers');
  checkNumber(`${field}.length`, value.length, lengthRange, true);
  return value.map((v, i) => checkNumber(`${field}[${i}]`, v, itemRange, true));
}

/** Returns a validated copy of the model configuration or throws a ConfigError. */
export function validateModelConfig(c: ModelConfig): ModelConfig {
  if (typeof c !== 'object' || c === null) throw new ConfigError('model', 'must be an object');
  const kind = checkEnum('kind', c.kind, MODEL_KINDS);
  const head = checkEnum('head', c.head, HEADS);
  const outputSize = checkNumber('outputSize', c.outputSize, LIMITS.outputSize, true);
  if (head !== 'multiclass' && outputSize !== 1) {
    throw new ConfigError('outputSize', `must be 1 for the ${head} head, got ${outputSize}`);
  }
  if (head === 'multiclass' && outputSize < 2) {
    throw new ConfigError('outputSize', `must be in [2, ${LIMITS.outputSize[1]}] for the multiclass head, got ${outputSize}`);
  }
  if (typeof c.inner !== 'object' || c.inner === null) throw new ConfigError('inner', 'must be an object');
  if (typeof c.layerNorm !== 'boolean') throw new ConfigError('layerNorm', 'must be true or false');
  if (typeof c.innerShared !== 'boolean') throw new ConfigError('innerShared', 'must be true or false');
  return {
    kind,
    head,
    outputSize,
    inputSize: checkNumber('inputSize', c.inputSize, LIMITS.inputSize, true),
    hidden: checkList('hidden', c.hidden, LIMITS.hiddenLayers, LIMITS.hiddenWidth),
    layerNorm: c.layerNorm,
    inner: {
      hidden: checkList('inner.hidden', c.inner.hidden, LIMITS.innerLayers, LIMITS.innerWidth),
      activation: checkEnum('inner.activation', c.inner.activation, INNER_ACTIVATIONS),
    },
    innerShared: c.innerShared,
    dropout: checkNumber('dropout', c.dropout, LIMITS.dropout, false),
  };
}

/** Returns a validated copy of the training configuration or throws a ConfigError. */
export function validateTrainConfig(c: TrainConfig): TrainConfig {
  if (typeof c !== 'object' || c === null) throw new ConfigError('train', 'must be an object');
  return {
    optimizer: checkEnum('optimizer', c.optimizer, OPTIMIZERS),
    learningRate: checkNumber('learningRate', c.learningRate, LIMITS.learningRate, false),
    momentum: checkNumber('momentum', c.momentum, LIMITS.momentum, false),
    batchSize: checkNumber('batchSize', c.batchSize, LIMITS.batchSize, true),
    l2: checkNumber('l2', c.l2, LIMITS.l2, false),
  };
}

/** True for models whose hidden units use a learned activation network g. */
export function hasInnerNet(kind: ModelKind): kind is 'twoArg' | 'oneArg' {
  return kind === 'twoArg' || kind === 'oneArg';
}
