import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PARAM_KEYS, PARAM_SPECS, defaultParams, type Params } from '../../src/core/params';
import { decodePointsFromLink, encodePointsForLink, LINK_MAX_POINTS } from '../../src/core/data/pointsLink';
import { decodeLink, encodeLink } from '../../src/state/link';

/** Any valid value of one spec, built from the schema so a new parameter is covered automatically. */
function arbitraryFor(key: keyof Params): fc.Arbitrary<unknown> {
  const spec = PARAM_SPECS[key];
  switch (spec.kind) {
    case 'enum':
      return fc.constantFrom(...spec.options);
    case 'bool':
      return fc.boolean();
    case 'number':
      return spec.integer
        ? fc.integer({ min: spec.min, max: spec.max })
        : fc
            .double({ min: spec.min, max: spec.max, noNaN: true, noDefaultInfinity: true })
            // -0 and 0 are the same setting; the link writes both as "0".
            .map((x) => (Object.is(x, -0) ? 0 : x));
    case 'intList':
      return fc.array(fc.integer({ min: spec.min, max: spec.max }), { minLength: spec.minLength, maxLength: spec.maxLength });
    case 'nameList':
      return fc.uniqueArray(fc.constantFrom(...spec.options), { maxLength: spec.maxLength });
    case 'points':
      // Drawn points as the page makes them: coordinates with 3 decimals, both labels (one class alone is refused).
      return fc
        .array(fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 }), fc.boolean()), {
          maxLength: LINK_MAX_POINTS,
        })
        .filter((pts) => pts.length === 0 || (pts.some(([, , l]) => l) && pts.some(([, , l]) => !l)))
        .map((pts) => {
          const x = Float32Array.from(pts.flatMap(([a, b]) => [a / 1000, b / 1000]));
          const y = Float32Array.from(pts.map(([, , l]) => (l ? 1 : 0)));
          return encodePointsForLink(x, y) ?? '';
        });
  }
}

const arbitraryParams: fc.Arbitrary<Params> = fc.record(
  Object.fromEntries(PARAM_KEYS.map((k) => [k, arbitraryFor(k)])) as { [K in keyof Params]: fc.Arbitrary<Params[K]> },
);

/** True when every value lies inside its spec (the invariant the whole app relies on). */
function withinSpec(p: Params): boolean {
  for (const key of PARAM_KEYS) {
    const spec = PARAM_SPECS[key];
    const v = p[key] as unknown;
    switch (spec.kind) {
      case 'enum':
        if (!(spec.options as readonly unknown[]).includes(v)) return false;
        break;
      case 'bool':
        if (typeof v !== 'boolean') return false;
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || v > spec.max) return false;
        if (spec.integer && !Number.isInteger(v)) return false;
        break;
      case 'intList':
        if (!Array.isArray(v) || v.length < spec.minLength || v.length > spec.maxLength) return false;
        if (!v.every((x) => Number.isInteger(x) && x >= spec.min && x <= spec.max)) return false;
        break;
      case 'nameList':
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && spec.options.includes(x))) return false;
        if (new Set(v).size !== v.length) return false;
        if (spec.maxLength !== undefined && v.length > spec.maxLength) return false;
        break;
      case 'points':
        if (typeof v !== 'string' || decodePointsFromLink(v) === null) return false;
        break;
    }
  }
  return Object.keys(p).length === PARAM_KEYS.length;
}

describe('encodeLink', () => {
  it('writes only v=1 for the defaults', () => {
    expect(encodeLink(defaultParams())).toBe('v=1');
  });

  it('writes changed keys in readable form', () => {
    const p = { ...defaultParams(), dataset: 'spiral' as const, hidden: [8, 8, 4], ln: false, lr: 0.05 };
    expect(encodeLink(p)).toBe('v=1&dataset=spiral&hidden=8,8,4&ln=0&lr=0.05');
  });

  it('writes an empty list as an empty value', () => {
    const link = encodeLink({ ...defaultParams(), hidden: [] });
    expect(link).toBe('v=1&hidden=');
    expect(decodeLink(link).params.hidden).toEqual([]);
  });
});

describe('decodeLink', () => {
  it('round-trips every valid Params unchanged', () => {
    fc.assert(
      fc.property(arbitraryParams, (p) => {
        const encoded = encodeLink(p);
        const { params, corrections } = decodeLink('#' + encoded);
        expect(params).toEqual(p);
        expect(corrections).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads an empty or missing hash as the defaults without complaint', () => {
    for (const h of ['', '#', '#v=1', 'v=1']) {
      expect(decodeLink(h)).toEqual({ params: defaultParams(), corrections: [] });
    }
  });

  it('ignores unknown keys silently and notes a wrong version', () => {
    const { params, corrections } = decodeLink('#v=7&dataset=moons&foo=bar&__proto__=1&constructor=x');
    expect(params.dataset).toBe('moons');
    expect(corrections.map((c) => c.key)).toEqual(['v']);
  });

  it('clamps out-of-range numbers and notes it', () => {
    const { params, corrections } = decodeLink('#lr=1e9&noise=-3&batch=2.6');
    expect(params.lr).toBe(PARAM_SPECS.lr.max);
    expect(params.noise).toBe(0);
    expect(params.batch).toBe(3);
    expect(corrections.map((c) => c.key).sort()).toEqual(['batch', 'lr', 'noise']);
  });

  it('names every value it changes with what it became: rounding, repeated keys, names, one-class points', () => {
    const { params, corrections } = decodeLink('#seed=1.5&n=500.4&batch=31.6&pretrain=0.4&hidden=8.4&hide=data,data,nope&lr=9');
    expect([params.seed, params.n, params.batch, params.pretrain, params.hidden]).toEqual([2, 500, 32, 0, [8]]);
    const said = Object.fromEntries(corrections.map((c) => [c.key, c.problem]));
    expect(said.seed).toBe('must be a whole number; now 2');
    expect(said.n).toBe('must be a whole number; now 500');
    expect(said.batch).toBe('must be a whole number; now 32');
    expect(said.pretrain).toBe('must be a whole number; now 0');
    expect(said.hidden).toMatch(/whole numbers.*; now 8$/);
    expect(said.hide).toBe('unknown name "nope" dropped, repeated names given once; now data');
    expect(said.lr).toBe('out of range [0.00001, 3]; now 3'.replace('0.00001', String(PARAM_SPECS.lr.min)));
    const repeated = decodeLink('#seed=1&seed=2');
    expect(repeated.params.seed).toBe(1);
    expect(repeated.corrections).toEqual([{ key: 'seed', problem: 'given 2 times; the first (1) used' }]);
    const oneClass = decodeLink(
      `#dataset=custom&points=${encodePointsForLink(Float32Array.from([0, 0, 0.5, 0.5]), Float32Array.from([1, 1]))}`,
    );
    expect(oneClass.params.points).toBe('');
    expect(oneClass.corrections[0]).toEqual({
      key: 'points',
      problem: 'every point has the same class; both classes are needed; now none',
    });
  });

  it('rejects numbers JavaScript would accept but a link should not', () => {
    for (const bad of ['', '0x10', 'Infinity', '-Infinity', 'NaN', '1_000', ' ', '1e', '--1']) {
      const { params, corrections } = decodeLink(`#n=${encodeURIComponent(bad)}`);
      expect(params.n).toBe(PARAM_SPECS.n.default);
      expect(corrections).toHaveLength(1);
    }
  });

  it('decodes thousands of random and hostile strings to valid params without throwing', () => {
    const fragments = fc.constantFrom(
      ...PARAM_KEYS,
      'v',
      '=',
      '&',
      ',',
      '#',
      '%',
      '%2C',
      '%E0%A4%A',
      '%00',
      '+',
      ' ',
      '1',
      '0',
      '-1',
      '1e308',
      '1e-400',
      'NaN',
      'Infinity',
      'true',
      'false',
      'xor',
      'relu',
      'data',
      'explain',
      '<script>',
      '"',
      "'",
      '\u0000',
      '\uD800',
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
    );
    const hostile = fc.array(fc.oneof(fragments, fc.string(), fc.string({ unit: 'binary' })), { maxLength: 40 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), hostile), (hash) => {
        const { params, corrections } = decodeLink(hash);
        expect(withinSpec(params)).toBe(true);
        expect(Array.isArray(corrections)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('turns a script in every value into the defaults plus one correction per key', () => {
    const payload = encodeURIComponent('<img src=x onerror=alert(1)>');
    const hash = '#' + ['v', ...PARAM_KEYS].map((k) => `${k}=${payload}`).join('&');
    const { params, corrections } = decodeLink(hash);
    expect(params).toEqual(defaultParams());
    const keys = new Set(corrections.map((c) => c.key));
    for (const k of ['v', ...PARAM_KEYS]) expect(keys.has(k)).toBe(true);
    // Same payload unencoded, as someone might paste it into the address bar.
    const raw = decodeLink('#' + PARAM_KEYS.map((k) => `${k}=<img src=x onerror=alert(1)>`).join('&'));
    expect(raw.params).toEqual(defaultParams());
    expect(raw.corrections.length).toBe(PARAM_KEYS.length);
  });

  it('carries drawn points in canonical form and refuses malformed ones with a note', () => {
    const ok = decodeLink('#dataset=custom&points=0.500p0.250_-1n1.000');
    expect(ok.params.dataset).toBe('custom');
    expect(ok.params.points).toBe('.5p.25_-1n1');
    expect(ok.corrections).toEqual([]);
    for (const bad of [
      '1p',
      'xp1',
      '1q1',
      '1p1__2n2',
      '1e3p1',
      'Infinityp1',
      Array(LINK_MAX_POINTS + 1)
        .fill('1p1')
        .join('_'),
    ]) {
      const { params, corrections } = decodeLink(`#dataset=custom&points=${encodeURIComponent(bad)}`);
      expect(params.points).toBe('');
      expect(corrections.map((c) => c.key)).toEqual(['points']);
    }
    // Images and the user's own data are valid dataset names.
    for (const d of ['custom', 'digits', 'fashion']) expect(decodeLink(`#dataset=${d}`).params.dataset).toBe(d);
  });

  it('survives an absurdly long hash', () => {
    const { params } = decodeLink('#' + 'dataset=spiral&'.repeat(100_000));
    expect(withinSpec(params)).toBe(true);
  });
});

describe('compare links', () => {
  it('keeps a valid model list and seed count', () => {
    const { params, corrections } = decodeLink('#compare=twoArg,oneArg,relu&seeds=4');
    expect(params.compare).toEqual(['twoArg', 'oneArg', 'relu']);
    expect(params.seeds).toBe(4);
    expect(corrections).toEqual([]);
  });

  it('drops unknown models, clamps seeds and cuts a long list, saying so', () => {
    const long = Array.from({ length: 40 }, (_, i) => ['twoArg', 'oneArg', 'relu', 'tanh', 'sigmoid'][i % 5]).join(',');
    const { params, corrections } = decodeLink(`#compare=${long},gelu&seeds=99`);
    expect(params.compare).toEqual(['twoArg', 'oneArg', 'relu', 'tanh']);
    expect(params.seeds).toBe(8);
    expect(corrections.map((c) => c.key).sort()).toEqual(['compare', 'seeds']);
    expect(corrections.find((c) => c.key === 'compare')!.problem).toMatch(/gelu.*dropped.*repeated.*at most 4/);
    expect(decodeLink('#compare=relu&seeds=0').params.seeds).toBe(1);
  });
});
