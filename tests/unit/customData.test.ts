/**
 * The user's own data and the image read-outs as pure functions: drawing edits, the link text
 * and which points a run uses, the image sample, confusion matrix and per-class accuracy, and
 * the host's data for every kind of data set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Points2D } from '../../src/core/data/points';
import { decodePointsFromLink, encodePointsForLink } from '../../src/core/data/pointsLink';
import {
  LINK_POINTS_MAX_CHARS,
  NO_POINTS,
  classCounts,
  customDataset,
  customPointsFor,
  fitsInLink,
  pointsLinkText,
  withPoint,
  withoutPointsNear,
} from '../../src/core/data/customData';
import { decodeImageAsset } from '../../src/core/data/imageAssets';
import { confusionMatrix, perClassAccuracy, pickSampleIndices, samplePixels } from '../../src/core/data/imageEval';
import { splitPoints } from '../../src/core/data/pointsSplit';
import { defaultParams } from '../../src/core/params';
import { hostDataFor } from '../../src/worker/hostData';

function pts(list: [number, number, 0 | 1][]): Points2D {
  return { x: Float32Array.from(list.flatMap(([a, b]) => [a, b])), y: Float32Array.from(list.map(([, , l]) => l)) };
}

describe('drawing edits', () => {
  it('adds points rounded to the link precision, so they survive the link exactly', () => {
    let p = NO_POINTS;
    p = withPoint(p, 0.12345, -0.98765, 1);
    p = withPoint(p, -1.0004, 0.5, 0);
    expect(Array.from(p.y)).toEqual([1, 0]);
    const text = pointsLinkText(p);
    expect(text).toBe('.123p-.988_-1n.5');
    const back = decodePointsFromLink(text)!;
    expect(back.x).toEqual(p.x);
    expect(back.y).toEqual(p.y);
    expect(NO_POINTS.y.length).toBe(0); // never mutated
  });

  it('erases only the points within the radius and returns the same object when none is near', () => {
    const p = pts([
      [0, 0, 1],
      [0.05, 0, 0],
      [1, 1, 1],
    ]);
    expect(withoutPointsNear(p, -1, -1, 0.1)).toBe(p);
    const q = withoutPointsNear(p, 0, 0, 0.1);
    expect(Array.from(q.x)).toEqual([1, 1]);
    expect(Array.from(q.y)).toEqual([1]);
    expect(classCounts(p)).toEqual([1, 2]);
  });
});

describe('points in the link', () => {
  it('carries up to 200 small points and refuses more, or very long text', () => {
    const many = (n: number, v = 0.5) => pts(Array.from({ length: n }, (_, i) => [v, -v, (i % 2) as 0 | 1]));
    expect(fitsInLink(NO_POINTS)).toBe(true);
    expect(pointsLinkText(many(200))).not.toBe('');
    expect(pointsLinkText(many(201))).toBe('');
    // 200 points near 1,000,000 encode fine but would make the link too long to be read.
    expect(encodePointsForLink(many(200, 999999.5).x, many(200).y)).not.toBeNull();
    expect(pointsLinkText(many(200, 999999.5))).toBe('');
    expect(LINK_POINTS_MAX_CHARS).toBeLessThan(4096);
  });

  it('a run uses the sent points while the link describes them, else the link', () => {
    const drawn = pts([
      [0.1234567, 0.2, 1],
      [0.3, 0.4, 0],
    ]);
    const big = pts(Array.from({ length: 500 }, (_, i) => [i / 500, 0, (i % 2) as 0 | 1]));
    // Sent points keep full precision when the link names them (rounded) ...
    expect(customPointsFor(pointsLinkText(drawn), drawn)).toBe(drawn);
    // ... and large data sets, which the link cannot carry ('').
    expect(customPointsFor('', big)).toBe(big);
    // A newer link wins: opened, edited by hand, or from a run file.
    const fromLink = customPointsFor('1p1_2n2', drawn);
    expect(Array.from(fromLink.x)).toEqual([1, 1, 2, 2]);
    // Nothing sent and nothing in the link: no points (the page says the link needs its CSV).
    expect(customPointsFor('', null).y.length).toBe(0);
    expect(customPointsFor('garbage', null).y.length).toBe(0);
  });
});

describe('customDataset', () => {
  it('splits as splitPoints does, seeded, into fresh arrays', () => {
    const six = pts([
      [0, 0, 1],
      [0.1, 0.1, 1],
      [0.2, 0.2, 1],
      [-0.5, 0.5, 0],
      [-0.6, 0.6, 0],
      [-0.7, 0.7, 0],
    ]);
    const ds = customDataset(six, 0.5, 3);
    expect(ds).toEqual(splitPoints(six.x, six.y, 0.5, 3));
    expect(customDataset(six, 0.5, 3)).toEqual(ds);
    expect(customDataset(six, 0.5, 4)).not.toEqual(ds);
    expect(ds.trainY.length + ds.testY.length).toBe(6);
    expect(ds.trainX).not.toBe(six.x);
  });

  it('with fewer than two points, trains on all of them and tests on none', () => {
    for (const p of [NO_POINTS, pts([[0.5, -0.5, 1]])]) {
      const ds = customDataset(p, 0.5, 1);
      expect(Array.from(ds.trainX)).toEqual(Array.from(p.x));
      expect(Array.from(ds.trainY)).toEqual(Array.from(p.y));
      expect(ds.testY.length).toBe(0);
      expect(ds.testX.length).toBe(0);
      expect(ds.trainX).not.toBe(p.x);
    }
  });

  it('is the split the worker trains on', () => {
    const five = pts([
      [0, 0, 1],
      [0.1, 0.1, 1],
      [0.2, 0.2, 0],
      [-0.5, 0.5, 0],
      [-0.6, 0.6, 0],
    ]);
    const params = { ...defaultParams(), dataset: 'custom' as const, points: pointsLinkText(five), train: 0.6, seed: 9 };
    expect(hostDataFor(params, five, null).dataset2d).toEqual(customDataset(five, 0.6, 9));
    const one = pts([[0.5, 0.5, 1]]);
    expect(hostDataFor({ ...params, points: pointsLinkText(one) }, one, null).dataset2d).toEqual(customDataset(one, 0.6, 9));
  });
});

describe('image read-outs', () => {
  it('picks a fixed, class-balanced sample among the evaluated test images', () => {
    const testY = Float32Array.from({ length: 100 }, (_, i) => i % 10);
    const idx = pickSampleIndices(testY, 10, 24, 100);
    expect(idx.length).toBe(24);
    expect(Array.from(idx.slice(0, 10)).map((i) => testY[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(idx).size).toBe(24);
    expect(pickSampleIndices(testY, 10, 24, 15).every((i) => i < 15)).toBe(true);
    expect(pickSampleIndices(testY, 10, 24, 5).length).toBe(5);
  });

  it('counts a confusion matrix and per-class accuracy', () => {
    const truth = Float32Array.from([0, 0, 1, 1, 2, 2]);
    const predicted = Int32Array.from([0, 1, 1, 1, 0, 2]);
    const m = confusionMatrix(predicted, truth, 4);
    expect(Array.from(m)).toEqual([1, 1, 0, 0, 0, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    const acc = perClassAccuracy(m, 4);
    expect(Array.from(acc.slice(0, 3))).toEqual([0.5, 1, 0.5]);
    expect(Number.isNaN(acc[3])).toBe(true);
  });

  it('maps pixels in [-1, 1] back to grey levels', () => {
    const ds = decodeImageAsset(readFileSync('public/data/digits.bin'));
    const idx = Int32Array.from([0, 5]);
    const px = samplePixels(ds, idx);
    expect(px.length).toBe(2 * 64);
    for (let j = 0; j < 64; j++) expect(px[64 + j]).toBe(Math.round((ds.testX[5 * 64 + j] + 1) * 127.5));
  });
});

describe('hostDataFor', () => {
  it('builds generated, custom and image data with the right head', () => {
    const gen = hostDataFor(defaultParams(), null, null);
    expect(gen.head).toBe('binary');
    expect(gen.training!.trainY.length + gen.training!.testY.length).toBe(500);

    const six = pts([
      [0, 0, 1],
      [0.1, 0.1, 1],
      [0.2, 0.2, 1],
      [-0.5, 0.5, 0],
      [-0.6, 0.6, 0],
      [-0.7, 0.7, 0],
    ]);
    const params = { ...defaultParams(), dataset: 'custom' as const, points: pointsLinkText(six) };
    const custom = hostDataFor(params, null, null);
    expect(custom.training!.trainY.length).toBe(3);
    expect(custom.training!.testY.length).toBe(3);
    // The same split as the page computes for drawing (seeded).
    expect(hostDataFor(params, six, null).dataset2d).toEqual(custom.dataset2d);

    const none = hostDataFor({ ...params, points: '' }, null, null);
    expect(none.training).toBeNull();
    expect(none.reason).toMatch(/click on the plane|upload a CSV/);
    expect(hostDataFor({ ...params, points: '.5p.5' }, null, null).reason).toMatch(/at least 2/);

    const ds = decodeImageAsset(readFileSync('public/data/digits.bin'));
    const img = hostDataFor({ ...defaultParams(), dataset: 'digits' }, null, ds);
    expect(img.head).toBe('multiclass');
    expect(img.outputSize).toBe(10);
    expect(img.training!.inputSize).toBe(64);
    expect(img.dataset2d).toBeNull();
    expect(img.image!.sample.length).toBe(24);
    expect(() => hostDataFor({ ...defaultParams(), dataset: 'fashion' }, null, null)).toThrow(/not loaded/);
  });
});
