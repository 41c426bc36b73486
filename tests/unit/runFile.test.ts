/**
 * The run file: what the app writes reads back unchanged; anything else (wrong format or
 * version, wrong shapes, hostile values, too big) is refused with clear errors and nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultParams, type Params } from '../../src/core/params';
import {
  RUN_FILE_MAX_BYTES,
  buildRunFile,
  gLayout,
  pointsMissingFor,
  readRunFile,
  serializeRunFile,
  type RunFile,
} from '../../src/state/runFile';
import type { MetricPoint } from '../../src/worker/protocol';

function weightsFor(p: Params, seed = 1): number[][] | null {
  const layout = gLayout(p);
  if (!layout) return null;
  let x = seed;
  return layout.lengths.map((n) =>
    Array.from({ length: n }, () => {
      x = (x * 16807) % 2147483647;
      return (x / 2147483647 - 0.5) * 2;
    }),
  );
}

const metrics: MetricPoint[] = [
  { step: 0, epoch: 0, trainLoss: 0.7, testLoss: 0.71, trainAcc: 0.5, testAcc: 0.49 },
  { step: 100, epoch: 12.5, trainLoss: 0.1, testLoss: NaN, trainAcc: 0.98, testAcc: 0.97 },
];

function validFile(over: Partial<Params> = {}): RunFile {
  const params = { ...defaultParams(), ...over };
  return buildRunFile({
    params,
    link: '#v=1',
    step: 100,
    epoch: 12.5,
    session: 2,
    backend: 'wasm',
    metrics,
    analysis: {
      fit: { c: [0.1, -0.2, -0.9, 0, 0, 0.05], cosine: 0.97, mse: 0.001, n: 300 },
      hessianDet: -0.89,
      verdict: 'soft-xor',
      centre: [0.1, -0.1],
      radius: 1.2,
      spectrum: [0.1, 0.02, 0.8, 0.01],
      maskArea: 9.5,
    },
    gWeights: weightsFor(params),
    createdAt: new Date('2024-01-02T03:04:05Z'),
  });
}

function textOf(value: unknown): string {
  return JSON.stringify(value);
}

describe('gLayout', () => {
  it('follows the params: inputs, widths, one g or one per layer, none for fixed activations', () => {
    const p = defaultParams(); // twoArg, hidden 8,8, inner 16,16, shared
    expect(gLayout(p)).toEqual({ inputs: 2, hidden: [16, 16], activation: 'relu', copies: 1, lengths: [32, 16, 256, 16, 16, 1] });
    expect(gLayout({ ...p, innerShared: false })?.lengths).toHaveLength(12);
    expect(gLayout({ ...p, model: 'oneArg', inner: [4] })?.lengths).toEqual([4, 4, 4, 1]);
    expect(gLayout({ ...p, model: 'relu' })).toBeNull();
    expect(gLayout({ ...p, hidden: [] })).toBeNull();
  });
});

describe('run file round trip', () => {
  it('a file the app writes reads back with the same params, metrics and g (float32 exact)', () => {
    const file = validFile({ dataset: 'spiral', lr: 0.0123, hidden: [4, 6], seed: 77 });
    const text = serializeRunFile(file);
    const result = readRunFile(text, text.length);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.params).toEqual(file.params);
    expect(result.file.step).toBe(100);
    expect(result.file.metrics[1].testLoss).toBeNull(); // NaN is written as null
    expect(result.file.analysis?.verdict).toBe('soft-xor');
    const original = weightsFor(file.params)!;
    result.file.g!.weights.forEach((w, i) => expect(Float32Array.from(w)).toEqual(Float32Array.from(original[i])));
  });

  it('writes number arrays on one line and stays small', () => {
    const text = serializeRunFile(validFile());
    expect(text).toMatch(/"weights": \[\n\s+\[[-\d.e,]+\]/);
    expect(text.length).toBeLessThan(30_000);
  });

  it('a model without g has g null and reads back', () => {
    const text = serializeRunFile(validFile({ model: 'tanh' }));
    const r = readRunFile(text);
    expect(r.ok && r.file.g).toBeNull();
  });

  it('every valid configuration survives write -> read (property)', () => {
    const arb = fc.record({
      dataset: fc.constantFrom('xor', 'circle', 'spiral'),
      model: fc.constantFrom('twoArg', 'oneArg', 'relu', 'tanh', 'sigmoid'),
      hidden: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 0, maxLength: 3 }),
      inner: fc.array(fc.integer({ min: 2, max: 8 }), { minLength: 1, maxLength: 3 }),
      innerShared: fc.boolean(),
      lr: fc.double({ min: 1e-5, max: 3, noNaN: true }),
      seed: fc.integer({ min: 0, max: 2147483647 }),
    });
    fc.assert(
      fc.property(arb, (over) => {
        const file = validFile(over);
        const r = readRunFile(serializeRunFile(file));
        return r.ok && textOf(r.file.params) === textOf(file.params) && (r.file.g === null) === (file.g === null);
      }),
      { numRuns: 150 },
    );
  });
});

describe('refused files', () => {
  const expectErrors = (text: string, pattern: RegExp, size?: number) => {
    const r = readRunFile(text, size);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.join('\n')).toMatch(pattern);
  };

  it('too big: refused before parsing', () => {
    expectErrors('{}', /larger than 5 MB/, RUN_FILE_MAX_BYTES + 1);
    expectErrors(' '.repeat(RUN_FILE_MAX_BYTES + 1), /larger than 5 MB/);
  });

  it('not JSON, not an object, another format', () => {
    expectErrors('{"format": "soft-xor-run",', /Not JSON/);
    expectErrors('[1,2,3]', /expected a JSON object/);
    expectErrors('null', /expected a JSON object/);
    expectErrors(textOf({ format: 'other', version: 1 }), /Not a run file of this app/);
  });

  it('wrong version', () => {
    expectErrors(textOf({ ...validFile(), version: 2 }), /Unsupported run file version 2/);
    expectErrors(textOf({ ...validFile(), version: '1' }), /Unsupported run file version/);
  });

  it('wrong shapes of g: missing, extra, wrong count, wrong length, config mismatch', () => {
    const f = validFile();
    expectErrors(textOf({ ...f, g: null }), /g: missing/);
    expectErrors(textOf({ ...validFile({ model: 'relu' }), g: f.g }), /has no learned g/);
    expectErrors(textOf({ ...f, g: { ...f.g!, weights: f.g!.weights.slice(1) } }), /expected 6 arrays, found 5/);
    const short = f.g!.weights.map((w, i) => (i === 2 ? w.slice(1) : w));
    expectErrors(textOf({ ...f, g: { ...f.g!, weights: short } }), /g\.weights\[2\]: expected 256 numbers, found 255/);
    expectErrors(textOf({ ...f, g: { ...f.g!, config: { ...f.g!.config, hidden: [8, 8] } } }), /g\.config: does not match/);
    expectErrors(textOf({ ...f, g: { config: f.g!.config, weights: 'lots' } }), /g\.weights/);
  });

  it('params: out of range, malformed and unknown settings are errors, not corrections', () => {
    const f = validFile();
    expectErrors(textOf({ ...f, params: { ...f.params, lr: 99 } }), /params\.lr \(Learning rate\): out of range/);
    expectErrors(textOf({ ...f, params: { ...f.params, hidden: 'eight' } }), /params\.hidden/);
    expectErrors(textOf({ ...f, params: { ...f.params, dataset: 'mnist<script>' } }), /params\.dataset/);
    expectErrors(textOf({ ...f, params: { ...f.params, evil: 1 } }), /unknown setting "evil"/);
    expectErrors(textOf({ ...f, params: [] }), /params/);
  });

  it('params must be valid as they stand: fractional counts and seeds are refused, never rounded', () => {
    const f = validFile();
    expectErrors(textOf({ ...f, params: { ...f.params, n: 500.4 } }), /^params\.n \(Samples\): must be a whole number$/m);
    expectErrors(textOf({ ...f, params: { ...f.params, seed: 2.5 } }), /^params\.seed \(Seed\): must be a whole number$/m);
  });

  it('hostile values: HTML, prototype keys, huge and non-finite numbers', () => {
    const f = validFile();
    const html = '<img src=x onerror=alert(1)>';
    const hostile = `{"format":"soft-xor-run","version":1,"params":{"__proto__":{"polluted":1},"dataset":"${html}"},"step":1,"epoch":0,"session":2,"metrics":[],"analysis":null,"g":null}`;
    const r = readRunFile(hostile);
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (!r.ok) {
      expect(r.errors.join('\n')).toMatch(/unknown setting "__proto__"/);
      // Values from the file are never echoed in full.
      expect(r.errors.every((e) => e.length < 300)).toBe(true);
    }
    const big = f.g!.weights.map((w, i) => (i === 0 ? [1e300, ...w.slice(1)] : w));
    expectErrors(textOf({ ...f, g: { ...f.g!, weights: big } }), /g\.weights\[0\]\[0\]/);
    expectErrors(textOf({ ...f, step: -1 }), /step/);
    expectErrors(textOf({ ...f, session: 4 }), /session/);
    expectErrors(textOf({ ...f, metrics: [{ step: 'a' }] }), /metrics\[0\]/);
    expectErrors(textOf({ ...f, analysis: { verdict: html } }), /analysis/);
  });

  it('lists at most a dozen errors and counts the rest', () => {
    const f = validFile();
    const metricsBad = Array.from({ length: 40 }, () => ({ step: -1 }));
    const r = readRunFile(textOf({ ...f, metrics: metricsBad }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.length).toBe(13);
      expect(r.errors.at(-1)).toMatch(/^and \d+ more$/);
    }
  });

  it('thousands of random strings and mutated files never throw', () => {
    const base = serializeRunFile(validFile());
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(base.length), (junk, at) => {
        const a = readRunFile(junk);
        const b = readRunFile(base.slice(0, at) + junk + base.slice(at + junk.length));
        return typeof a.ok === 'boolean' && typeof b.ok === 'boolean';
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const r = readRunFile(
          JSON.stringify({ format: 'soft-xor-run', version: 1, ...(typeof v === 'object' && v && !Array.isArray(v) ? v : { params: v }) }),
        );
        return r.ok === false || r.file.format === 'soft-xor-run';
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a run file on the user’s own data', () => {
  it('is refused with the reason when its points are neither in the file nor on the page; accepted once the page has points', () => {
    const noPoints = validFile({ dataset: 'custom', points: '' });
    expect(pointsMissingFor(noPoints, 0)).toMatch(/upload its CSV first/);
    expect(pointsMissingFor(noPoints, 350)).toBeNull();
    expect(pointsMissingFor(validFile({ dataset: 'custom', points: '.5p.5_-.5n-.5' }), 0)).toBeNull();
    expect(pointsMissingFor(validFile(), 0)).toBeNull();
  });
});
