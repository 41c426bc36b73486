/** The image data manifest parser: the shipped manifest passes; bad manifests are refused with the entry, field and reason. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImageManifest } from '../../src/core/data/imageManifest';

const entry = { id: 'a', name: 'A', file: 'a.bin', bytes: 1, sha256: 'a'.repeat(64), width: 1, height: 1, classes: 2, train: 1, test: 1 };

describe('parseImageManifest', () => {
  it('reads the shipped manifest, from text or from an object', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'public', 'data', 'manifest.json'), 'utf8');
    const entries = parseImageManifest(text);
    expect(entries.map((e) => e.id)).toEqual(['digits', 'fashion-mnist']);
    expect(parseImageManifest(JSON.parse(text))).toEqual(entries);
    expect(entries[0].classNames).toHaveLength(entries[0].classes);
  });

  it('fills the optional fields: class names, licence and attribution', () => {
    const [e] = parseImageManifest({ datasets: [{ ...entry, classNames: [0, 'one'], licence: 7 }] });
    expect(e.classNames).toEqual(['0', 'one']);
    expect(e.licence).toBe('');
    expect(e.attribution).toBe('');
    expect(parseImageManifest({ datasets: [entry] })[0].classNames).toEqual([]);
  });

  it('refuses unsafe or broken entries, naming the entry, the field and the reason', () => {
    const bad =
      (patch: Record<string, unknown>, index = 0) =>
      () =>
        parseImageManifest({ datasets: index === 0 ? [{ ...entry, ...patch }] : [entry, { ...entry, ...patch }] });
    expect(bad({ file: '../secret' })).toThrow('the data manifest is malformed (entry 0: file: bad file name)');
    expect(bad({ file: '.hidden' })).toThrow(/bad file name/);
    expect(bad({ file: 'a/b.bin' })).toThrow(/bad file name/);
    expect(bad({ sha256: 'xyz' })).toThrow('(entry 0: sha256: bad sha256)');
    expect(bad({ sha256: 'A'.repeat(64) })).toThrow(/bad sha256/);
    expect(bad({ bytes: -1 })).toThrow('(entry 0: bytes: must not be negative)');
    expect(bad({ train: 1.5 }, 1)).toThrow('(entry 1: train: must be a whole number)');
    expect(bad({ width: '8' })).toThrow('(entry 0: width: must be a number)');
    expect(bad({ id: undefined })).toThrow('(entry 0: id: missing)');
    expect(() => parseImageManifest({ datasets: [entry, 'digits'] })).toThrow('(entry 1: not an object)');
  });

  it('refuses a manifest that is not JSON or has no datasets list', () => {
    expect(() => parseImageManifest('{oops')).toThrow('the data manifest is malformed (not JSON)');
    expect(() => parseImageManifest({})).toThrow('the data manifest is malformed (no datasets list)');
    expect(() => parseImageManifest({ datasets: 'digits' })).toThrow(/no datasets list/);
    expect(() => parseImageManifest(null)).toThrow(/no datasets list/);
  });
});
