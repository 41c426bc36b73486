import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeImageAsset,
  IMAGE_ASSET_HEADER_BYTES,
  labelCounts,
  readImageAssetHeader,
  sha256Hex,
  sha256Js,
} from '../../src/core/data/imageAssets';
import { parseImageManifest } from '../../src/core/data/imageManifest';

const DATA = join(__dirname, '..', '..', 'public', 'data');
const manifest = parseImageManifest(readFileSync(join(DATA, 'manifest.json'), 'utf8'));
const read = (file: string) => new Uint8Array(readFileSync(join(DATA, file)));

/**
 * Known per-class counts, computed independently from the Debian sources (python3-sklearn's
 * digits.csv.gz: first 1,500 rows train, last 297 test; dataset-fashion-mnist: first 12,000 of
 * train-labels-idx1-ubyte.gz, first 2,000 of t10k-labels-idx1-ubyte.gz).
 */
const EXPECTED = {
  digits: {
    width: 8,
    height: 8,
    train: [151, 151, 150, 153, 148, 152, 151, 149, 146, 149],
    test: [27, 31, 27, 30, 33, 30, 30, 30, 28, 31],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    sha256: '669e053dcaf3ceda2edc1e041fef0a04100c169b8123f1543a6259367c11e808',
  },
  'fashion-mnist': {
    width: 28,
    height: 28,
    train: [1122, 1220, 1201, 1212, 1181, 1204, 1244, 1192, 1195, 1229],
    test: [200, 203, 214, 190, 219, 195, 197, 200, 194, 188],
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    sha256: 'ef2d04512407e597956ae579ff635ace4591ed4e4ed743c0dab9128a0d80028f',
  },
} as const;

const sum = (a: readonly number[]) => a.reduce((s, v) => s + v, 0);

describe('shipped image assets', () => {
  it('the manifest lists both data sets with licence and attribution', () => {
    expect(manifest.map((e) => e.id)).toEqual(['digits', 'fashion-mnist']);
    for (const e of manifest) {
      expect(e.licence).toMatch(e.id === 'digits' ? /CC BY 4\.0/ : /MIT/);
      expect(e.attribution.length).toBeGreaterThan(20);
    }
  });

  for (const id of ['digits', 'fashion-mnist'] as const) {
    describe(id, () => {
      const want = EXPECTED[id];
      const entry = manifest.find((e) => e.id === id)!;
      const bytes = read(entry.file);

      it('matches the manifest: size and sha256 (Web Crypto, pure JS and node:crypto agree)', async () => {
        expect(bytes.byteLength).toBe(entry.bytes);
        expect(entry.sha256).toBe(want.sha256);
        expect(await sha256Hex(bytes)).toBe(entry.sha256);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
        if (id === 'digits') expect(Buffer.from(sha256Js(bytes)).toString('hex')).toBe(entry.sha256);
      });

      it('decodes to the right shapes, label counts and pixel range', () => {
        const d = decodeImageAsset(bytes.buffer);
        const nTrain = sum(want.train);
        const nTest = sum(want.test);
        expect(d.id).toBe(id);
        expect([d.width, d.height, d.classes]).toEqual([want.width, want.height, 10]);
        expect(d.classNames).toEqual(want.classNames);
        expect(d.trainX.length).toBe(nTrain * want.width * want.height);
        expect(d.trainY.length).toBe(nTrain);
        expect(d.testX.length).toBe(nTest * want.width * want.height);
        expect(d.testY.length).toBe(nTest);
        expect([entry.train, entry.test]).toEqual([nTrain, nTest]);
        expect(labelCounts(d.trainY, 10)).toEqual(want.train);
        expect(labelCounts(d.testY, 10)).toEqual(want.test);
        for (const X of [d.trainX, d.testX]) {
          let lo = Infinity;
          let hi = -Infinity;
          for (let i = 0; i < X.length; i++) {
            const v = X[i];
            if (!(v >= -1 && v <= 1)) throw new Error(`pixel ${i} = ${v} outside [-1, 1]`);
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          expect(lo).toBe(-1);
          expect(hi).toBe(1);
        }
      });

      it('rejects truncated and damaged copies with clear messages', () => {
        expect(() => decodeImageAsset(bytes.slice(0, bytes.length - 1))).toThrow(/truncated: \d+ of \d+ bytes/);
        expect(() => decodeImageAsset(bytes.slice(0, 1000))).toThrow(/truncated/);
        expect(() => decodeImageAsset(bytes.slice(0, 20))).toThrow(/shorter than the 48-byte header/);
        expect(() => decodeImageAsset(new Uint8Array(0))).toThrow(/only 0 bytes/);
        const longer = new Uint8Array(bytes.length + 3);
        longer.set(bytes);
        expect(() => decodeImageAsset(longer)).toThrow(/3 unexpected bytes after the data/);
      });
    });
  }

  it('digits pixels are the source values 0..16 scaled by 2 p / 16 - 1', () => {
    const d = decodeImageAsset(read('digits.bin'));
    // First row of sklearn's digits.csv.gz (a zero).
    const first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0];
    expect(Array.from(d.trainX.slice(0, 16))).toEqual(first.map((p) => (2 * p) / 16 - 1));
    expect(d.trainY[0]).toBe(0);
  });
});

describe('decodeImageAsset on synthetic files', () => {
  function makeAsset(
    opts: {
      magic?: string;
      version?: number;
      width?: number;
      height?: number;
      classes?: number;
      maxValue?: number;
      nTrain?: number;
      nTest?: number;
      id?: string;
    } = {},
  ) {
    const { magic = 'SXDS', version = 1, width = 2, height = 2, classes = 3, maxValue = 255, nTrain = 2, nTest = 1, id = 'toy' } = opts;
    const px = width * height;
    const buf = new Uint8Array(IMAGE_ASSET_HEADER_BYTES + (nTrain + nTest) * (px + 1));
    const v = new DataView(buf.buffer);
    for (let i = 0; i < 4; i++) buf[i] = magic.charCodeAt(i);
    v.setUint16(4, version, true);
    v.setUint16(6, IMAGE_ASSET_HEADER_BYTES, true);
    v.setUint16(8, width, true);
    v.setUint16(10, height, true);
    v.setUint16(12, classes, true);
    v.setUint16(14, maxValue, true);
    v.setUint32(16, nTrain, true);
    v.setUint32(20, nTest, true);
    for (let i = 0; i < id.length; i++) buf[24 + i] = id.charCodeAt(i);
    let o = IMAGE_ASSET_HEADER_BYTES;
    for (let i = 0; i < nTrain * px; i++) buf[o++] = (i * 37) % (maxValue + 1);
    for (let i = 0; i < nTrain; i++) buf[o++] = i % classes;
    for (let i = 0; i < nTest * px; i++) buf[o++] = maxValue;
    for (let i = 0; i < nTest; i++) buf[o++] = classes - 1;
    return buf;
  }

  it('decodes a valid toy file; unknown ids get numbered class names', () => {
    const d = decodeImageAsset(makeAsset());
    expect(d.name).toBe('toy');
    expect(d.classNames).toEqual(['0', '1', '2']);
    expect(Array.from(d.trainY)).toEqual([0, 1]);
    expect(Array.from(d.testX)).toEqual([1, 1, 1, 1]);
    expect(d.trainX[0]).toBe(-1);
    expect(readImageAssetHeader(makeAsset()).expectedBytes).toBe(48 + 3 * 5);
  });

  it('names what is wrong', () => {
    expect(() => decodeImageAsset(makeAsset({ magic: 'PK\u0003\u0004' }))).toThrow(/wrong magic number/);
    const html = new TextEncoder().encode('<!doctype html><html><body>Not found</body></html>'.padEnd(200, ' '));
    expect(() => decodeImageAsset(html)).toThrow(/HTML page instead of the data file/);
    expect(() => decodeImageAsset(makeAsset({ version: 2 }))).toThrow(/format version 2/);
    expect(() => decodeImageAsset(makeAsset({ classes: 1 }))).toThrow(/1 classes/);
    expect(() => decodeImageAsset(makeAsset({ nTest: 0 }))).toThrow(/both must be at least 1/);
    expect(() => decodeImageAsset(makeAsset({ width: 0 }))).toThrow(/image size 0x2/);
    expect(() => decodeImageAsset(makeAsset({ id: 'BAD ID' }))).toThrow(/invalid data set id/);
    const badLabel = makeAsset();
    badLabel[badLabel.length - 1] = 9;
    expect(() => decodeImageAsset(badLabel)).toThrow(/test label 0 is 9, but there are only 3 classes/);
    const badPixel = makeAsset({ maxValue: 16 });
    badPixel[IMAGE_ASSET_HEADER_BYTES + 5] = 17;
    expect(() => decodeImageAsset(badPixel)).toThrow(/training image 1 has a pixel above the maximum 16/);
    // A huge declared count must fail on size, not allocate.
    const huge = makeAsset();
    new DataView(huge.buffer).setUint32(16, 0xffffffff, true);
    expect(() => decodeImageAsset(huge)).toThrow(/truncated: 63 of \d+ bytes/);
  });

  it('sha256Js agrees with node:crypto around block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const b = new Uint8Array(n).map((_, i) => (i * 131 + 7) & 255);
      expect(Buffer.from(sha256Js(b)).toString('hex')).toBe(createHash('sha256').update(b).digest('hex'));
    }
  });
});
