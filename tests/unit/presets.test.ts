/**
 * The paper presets (src/core/presets.ts) and the paper's Session I: each preset expands to exactly
 * the authors' settings (shared/paper.md), the `preset=` link key expands and then disappears,
 * unknown names are corrected like any other key, and the "paper" Session I schedule is the
 * authors' (unscaled target, Adam 1e-3, epochs of batch 200 over the grid).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSweep } from '../../src/core/experiment/sweep';
import { PARAM_KEYS, PARAM_SPECS, defaultParams, type Params } from '../../src/core/params';
import { PRESETS, PRESET_KEYS, PRESET_NAMES, applyPreset, matchingPreset, presetModelSizes } from '../../src/core/presets';
import { specFromParams } from '../../src/core/spec';
import { randomSmoothTarget } from '../../src/core/train/sessionOne';
import {
  PAPER_SESSION_ONE,
  VISIBLE_SESSION_ONE,
  sessionOneBatches,
  sessionOnePlan,
  sessionOnePoints,
} from '../../src/core/train/sessionOnePlan';
import { decodeLink, encodeLink } from '../../src/state/link';

/** The authors' MLP (shared/paper.md): what both presets share. */
const PAPER_MLP = {
  model: 'twoArg',
  hidden: [64, 64, 64],
  inner: [64, 64],
  innerAct: 'relu',
  innerShared: true,
  ln: true,
  match: true,
  pretrain: 500,
  sessionOne: 'paper',
  optimizer: 'adam',
  lr: 0.001,
  l2: 0,
  dropout: 0.5,
} satisfies Partial<Params>;

describe('paper presets', () => {
  it('expand to exactly the paper settings, batch 100 on digits and 200 on Fashion-MNIST', () => {
    expect(applyPreset(defaultParams(), 'paper-digits')).toEqual({ ...defaultParams(), ...PAPER_MLP, dataset: 'digits', batch: 100 });
    expect(applyPreset(defaultParams(), 'paper-fashion')).toEqual({ ...defaultParams(), ...PAPER_MLP, dataset: 'fashion', batch: 200 });
  });

  it('set every data, model and training setting but the seed and the 2D data settings', () => {
    const untouched = ['seed', 'points', 'noise', 'train', 'n'];
    const expected = PARAM_KEYS.filter((k) => PARAM_SPECS[k].group !== 'view' && !untouched.includes(k));
    expect([...PRESET_KEYS].sort()).toEqual([...expected].sort());
    for (const name of PRESET_NAMES) expect(Object.keys(PRESETS[name].params).sort()).toEqual([...expected].sort());
  });

  it('keep the seed, the view settings and drawn points', () => {
    const base: Params = { ...defaultParams(), seed: 42, backend: 'wasm', hide: ['explain'], points: '0.1,0.2,0;0.3,0.4,1', l2: 0.05 };
    const p = applyPreset(base, 'paper-digits');
    expect(p.seed).toBe(42);
    expect(p.backend).toBe('wasm');
    expect(p.hide).toEqual(['explain']);
    expect(p.points).toBe(base.points);
    expect(p.l2).toBe(0); // the paper used no weight decay: a stale setting does not leak into the preset
  });

  it('are every value valid in the one schema (nothing a link would correct)', () => {
    for (const name of PRESET_NAMES) {
      const p = applyPreset(defaultParams(), name);
      expect(decodeLink(encodeLink(p))).toEqual({ params: p, corrections: [] });
    }
  });

  it('are recognised from the params, and one edited setting makes them the user’s own', () => {
    expect(matchingPreset(defaultParams())).toBeNull();
    const p = applyPreset({ ...defaultParams(), seed: 7 }, 'paper-fashion');
    expect(matchingPreset(p)).toBe('paper-fashion');
    expect(matchingPreset({ ...p, lr: 0.002 })).toBeNull();
  });

  it("match the paper's table on 28x28 inputs and show the digits widths", () => {
    // shared/paper.md: two-argument 64x3 = 122,187; one-argument 114x3 = 121,213; ReLU + LayerNorm 118x3 = 121,904.
    expect(presetModelSizes('paper-fashion')).toEqual([
      { model: 'twoArg', hidden: [64, 64, 64], params: 122_187 },
      { model: 'oneArg', hidden: [114, 114, 114], params: 121_213 },
      { model: 'relu', hidden: [118, 118, 118], params: 121_904 },
    ]);
    // The shipped digits sweep reports the same counts (30,027 / 29,728 / 30,029).
    expect(presetModelSizes('paper-digits').map((s) => s.params)).toEqual([30_027, 29_728, 30_029]);
  });

  it('state the input sizes of the shipped image files', () => {
    const manifest = JSON.parse(readFileSync('public/data/manifest.json', 'utf8')) as {
      datasets: { id: string; width: number; height: number }[];
    };
    const pixels = (id: string) => {
      const d = manifest.datasets.find((x) => x.id === id);
      return d ? d.width * d.height : NaN;
    };
    expect(PRESETS['paper-digits'].inputSize).toBe(pixels('digits'));
    expect(PRESETS['paper-fashion'].inputSize).toBe(pixels('fashion-mnist'));
  });
});

describe('the preset= link key', () => {
  it('expands into params and is not written back', () => {
    const { params, corrections } = decodeLink('#v=1&preset=paper-digits');
    expect(corrections).toEqual([]);
    expect(params).toEqual(applyPreset(defaultParams(), 'paper-digits'));
    const link = encodeLink(params);
    expect(link).not.toContain('preset');
    expect(link).toContain('sessionOne=paper');
    // Round trip: the written link means the same settings without the preset key.
    expect(decodeLink(link)).toEqual({ params, corrections: [] });
  });

  it("lets the link's other keys apply on top of the preset, in any order", () => {
    const a = decodeLink('#seed=9&preset=paper-fashion&model=relu&lr=0.003').params;
    expect(a).toEqual({ ...applyPreset(defaultParams(), 'paper-fashion'), seed: 9, model: 'relu', lr: 0.003 });
    expect(matchingPreset(a)).toBeNull();
  });

  it('corrects an unknown preset name and keeps the rest of the link', () => {
    const { params, corrections } = decodeLink('#preset=paper-cifar&seed=3');
    expect(params).toEqual({ ...defaultParams(), seed: 3 });
    expect(corrections).toHaveLength(1);
    expect(corrections[0].key).toBe('preset');
    expect(corrections[0].problem).toContain('"paper-cifar" is not a preset');
    expect(corrections[0].problem).toContain('paper-digits, paper-fashion');
  });

  it('cuts a hostile preset name short and reports a repeated key', () => {
    const long = decodeLink(`#preset=${'x'.repeat(500)}`);
    expect(long.params).toEqual(defaultParams());
    expect(long.corrections[0].problem.length).toBeLessThan(160);
    const twice = decodeLink('#preset=paper-digits&preset=paper-fashion');
    expect(twice.params.dataset).toBe('digits');
    expect(twice.corrections.map((c) => c.key)).toEqual(['preset']);
    expect(twice.corrections[0].problem).toContain('given 2 times');
  });

  it('is read case-sensitively like every enum (a near miss is corrected, not guessed)', () => {
    expect(decodeLink('#preset=Paper-Digits').corrections.map((c) => c.key)).toEqual(['preset']);
  });
});

describe("the paper's Session I", () => {
  it('leaves the target unscaled: std about 0.05, largest magnitude 0.1-0.25 (the visible one peaks at 1)', () => {
    for (const seed of [1, 2, 3]) {
      const raw = randomSmoothTarget(seed, 2, false);
      const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
      const std = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length);
      const peak = raw.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(std).toBeGreaterThan(0.035);
      expect(std).toBeLessThan(0.065);
      expect(peak).toBeGreaterThan(0.1);
      expect(peak).toBeLessThan(0.25);
      // Same surface, only the scale differs.
      const scaled = randomSmoothTarget(seed, 2);
      expect(scaled.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeCloseTo(1, 6);
      expect(scaled[5000] * peak).toBeCloseTo(raw[5000], 6);
    }
  });

  it('is 500 epochs of batch 200 over the 10,201 grid points at Adam 1e-3; visible keeps the app schedule', () => {
    expect(PAPER_SESSION_ONE).toEqual({ learningRate: 1e-3, batchSize: 200, scaled: false, sampling: 'epochs' });
    expect(sessionOnePlan('paper', 500, 2)).toEqual({ schedule: PAPER_SESSION_ONE, steps: 500 * 51 });
    expect(sessionOnePlan('paper', 500, 1)).toEqual({ schedule: PAPER_SESSION_ONE, steps: 500 }); // 101 points: one batch an epoch
    expect(sessionOnePlan('visible', 300, 2)).toEqual({ schedule: VISIBLE_SESSION_ONE, steps: 300 });
    const spec = specFromParams(applyPreset(defaultParams(), 'paper-digits'), 64, 10, 'multiclass');
    expect(spec.pretrainSteps).toBe(25_500);
    expect(spec.sessionOne).toEqual(PAPER_SESSION_ONE);
    expect(specFromParams(defaultParams()).sessionOne).toEqual(VISIBLE_SESSION_ONE);
  });

  it('visits every grid point once per epoch but one, in a new order each epoch', () => {
    const points = sessionOnePoints(2);
    const batches = [...sessionOneBatches(1, points, 200, 102, 'epochs')];
    const epoch = (e: number) => batches.slice(e * 51, (e + 1) * 51).flatMap((b) => [...b]);
    for (const e of [0, 1]) {
      const seen = epoch(e);
      expect(seen).toHaveLength(points - 1);
      expect(new Set(seen).size).toBe(points - 1);
    }
    expect(epoch(0).slice(0, 200)).not.toEqual(epoch(1).slice(0, 200));
    // Reproducible from the seed.
    expect([...sessionOneBatches(1, points, 200, 3, 'epochs')]).toEqual(batches.slice(0, 3));
  });
});

describe('sweep files with a preset', () => {
  it('start from the preset, with params on top', () => {
    const parsed = parseSweep(
      JSON.stringify({ name: 'p', models: ['twoArg', 'relu'], seeds: [1], preset: 'paper-digits', params: { pretrain: 20 }, epochs: 1 }),
    );
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.base).toEqual({ ...applyPreset({ ...defaultParams(), match: true }, 'paper-digits'), pretrain: 20 });
  });

  it('refuse an unknown preset, naming the field', () => {
    const parsed = parseSweep(JSON.stringify({ name: 'p', models: ['twoArg'], seeds: [1], preset: 'paper-cifar', epochs: 1 }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join('\n')).toMatch(/^preset:/m);
  });
});
