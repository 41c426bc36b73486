/**
 * The paper presets: the authors' MLP (Kim, Orhan, Yoon, Pitkow 2021; shared/paper.md) on the
 * image data sets, as ordinary params. A preset is not a parameter itself: `preset=` in a link
 * and the preset menu expand it into the keys it sets, so the link that results states every
 * setting and keeps its meaning, and editing one setting afterwards needs no "still the preset?"
 * bookkeeping. Which preset the current settings match is derived (matchingPreset), never stored.
 */
import { countParams, matchWidths } from './model/paramCount';
import { defaultParams, type ImageDataName, type Params } from './params';
import { twoArgReference } from './spec';
import { PAPER_SESSION_ONE_EPOCHS } from './train/sessionOnePlan';

export const PRESET_NAMES = ['paper-digits', 'paper-fashion'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  label: string;
  /** One line on what it sets and where the app departs from the authors. */
  description: string;
  /** Pixels per image of its data set (the matched baselines' widths depend on it). */
  inputSize: number;
  /**
   * The settings it makes: every data, model and training key except the seed and the 2D data
   * settings (a unit test checks that a new parameter of those groups is not forgotten here).
   */
  params: Pick<Params, PresetKey>;
}

/** What a preset sets. Not the view keys (backend, autoplay, hide, compare...): how to look at a run, not which run. */
export const PRESET_KEYS = [
  'dataset',
  'model',
  'hidden',
  'inner',
  'innerAct',
  'innerShared',
  'ln',
  'match',
  'pretrain',
  'sessionOne',
  'optimizer',
  'lr',
  'batch',
  'l2',
  'dropout',
] as const satisfies readonly (keyof Params)[];
type PresetKey = (typeof PRESET_KEYS)[number];

/** The authors' MLP: 3 hidden layers of 64 two-argument units, LayerNorm without affine, one g 2-64-64-1, dropout 0.5, Adam 1e-3. */
function paperMlp(dataset: ImageDataName, batch: number): Preset['params'] {
  return {
    dataset,
    model: 'twoArg',
    hidden: [64, 64, 64],
    inner: [64, 64],
    innerAct: 'relu',
    innerShared: true,
    ln: true,
    // Baselines are widened to the two-argument model's parameter count when the model is switched.
    match: true,
    pretrain: PAPER_SESSION_ONE_EPOCHS,
    sessionOne: 'paper',
    optimizer: 'adam',
    lr: 1e-3,
    batch,
    l2: 0,
    dropout: 0.5,
  };
}

export const PRESETS: Record<PresetName, Preset> = {
  'paper-digits': {
    label: 'Paper MLP on digits',
    description:
      "The authors' MLP on the 8×8 UCI digits: 3×64 two-argument units, LayerNorm, one g 2-64-64-1, dropout 0.5, Adam 1e-3, batch 100, their Session I (500 epochs).",
    inputSize: 64,
    params: paperMlp('digits', 100),
  },
  'paper-fashion': {
    label: 'Paper MLP on Fashion-MNIST',
    description:
      "The authors' MLP on 28×28 Fashion-MNIST: 3×64 two-argument units, LayerNorm, one g 2-64-64-1, dropout 0.5, Adam 1e-3, batch 200, their Session I (500 epochs).",
    inputSize: 784,
    params: paperMlp('fashion', 200),
  },
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * `base` with the preset's settings. The seed, the view keys and the settings of 2D data
 * (drawn points, noise, sample count, train fraction: unused by image data) are kept, so a
 * user's drawn points survive a look at a preset.
 */
export function applyPreset(base: Params, name: PresetName): Params {
  return { ...structuredClone(base), ...structuredClone(PRESETS[name].params) };
}

/** The preset whose every setting the params have (seed, view keys and 2D data settings aside), or null. */
export function matchingPreset(p: Params): PresetName | null {
  for (const name of PRESET_NAMES) {
    const set = PRESETS[name].params as unknown as Record<string, unknown>;
    if (Object.keys(set).every((k) => JSON.stringify(set[k]) === JSON.stringify((p as unknown as Record<string, unknown>)[k]))) return name;
  }
  return null;
}

export interface PresetModelSize {
  model: 'twoArg' | 'oneArg' | 'relu';
  hidden: number[];
  params: number;
}

/** The preset's two-argument model and its one-argument and ReLU baselines matched to it, for its input size. */
export function presetModelSizes(name: PresetName): PresetModelSize[] {
  const preset = PRESETS[name];
  const p = applyPreset(defaultParams(), name);
  const reference = twoArgReference(p, preset.inputSize, 10, 'multiclass');
  const target = countParams(reference).total;
  return (['twoArg', 'oneArg', 'relu'] as const).map((model) => {
    const hidden = model === 'twoArg' ? reference.hidden : matchWidths(reference, model, target);
    return { model, hidden, params: countParams({ ...reference, kind: model, hidden }).total };
  });
}
