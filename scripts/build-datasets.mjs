#!/usr/bin/env node
/**
 * Builds the image data assets served with the app (public/data/*.bin + manifest.json) from
 * the Debian-packaged sources:
 *
 *   UCI handwritten digits 8x8  python3-sklearn        .../sklearn/datasets/data/digits.csv.gz
 *   Fashion-MNIST 28x28         dataset-fashion-mnist  /usr/share/datasets/fashion-mnist/*.gz
 *
 *   apt-get install -y python3-sklearn dataset-fashion-mnist
 *   npm run datasets            # (re)build public/data/
 *   npm run datasets -- --check # rebuild in memory, exit 1 if public/data/ differs
 *
 * Source paths can be overridden with SXP_DIGITS_CSV (the digits.csv.gz file) and
 * SXP_FASHION_DIR (the folder holding the four idx .gz files). Every source is verified
 * against the sha256 recorded below before use; the output is deterministic (no timestamps,
 * fixed subsets, fixed field order), so re-running gives byte-identical files.
 *
 * Asset format (all integers little-endian), decoded by src/core/data/imageAssets.ts:
 *
 *   offset size
 *    0      4   magic "SXDS"
 *    4      2   format version (1)
 *    6      2   header size in bytes (48)
 *    8      2   width
 *   10      2   height
 *   12      2   number of classes
 *   14      2   maximum pixel value (16 for digits, 255 for Fashion-MNIST)
 *   16      4   number of training images
 *   20      4   number of test images
 *   24     16   dataset id, ASCII, zero-padded ("digits", "fashion-mnist")
 *   40      8   reserved (zero)
 *   48          training pixels, uint8, nTrain * width * height, row-major
 *               training labels, uint8, nTrain
 *               test pixels, uint8, nTest * width * height
 *               test labels, uint8, nTest
 *
 * The file ends exactly there. Pixels are stored unscaled; the app maps p to 2 p / max - 1.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'public', 'data');

const MAGIC = 'SXDS';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 48;

const DIGITS_CSV = process.env.SXP_DIGITS_CSV ?? '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';
const FASHION_DIR = process.env.SXP_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist';

/** sha256 of the source files as shipped by Debian 12 (python3-sklearn 1.2.1+dfsg-1, dataset-fashion-mnist 0.0~git20200523.55506a9-1). */
const SOURCE_SHA256 = {
  'digits.csv.gz': '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a',
  'train-images-idx3-ubyte.gz': 'b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7',
  'train-labels-idx1-ubyte.gz': '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056',
  't10k-images-idx3-ubyte.gz': 'cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa',
  't10k-labels-idx1-ubyte.gz': '8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05',
};

/** Digits: the 1,797 images in source order; the first 1,500 train, the last 297 test. */
const DIGITS_TRAIN = 1500;
/** Fashion-MNIST: the first 12,000 images of the official training file and the first 2,000 of the test file. */
const FASHION_TRAIN = 12000;
const FASHION_TEST = 2000;

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function fail(message) {
  console.error(`build-datasets: ${message}`);
  process.exit(1);
}

function readSource(path, name, pkg) {
  if (!existsSync(path)) {
    fail(`missing ${path}\n  install it with: apt-get install -y ${pkg}\n  (or point the SXP_* environment variables at a copy)`);
  }
  const buf = readFileSync(path);
  const got = sha256(buf);
  if (got !== SOURCE_SHA256[name]) {
    fail(`${path}: sha256 ${got} does not match the expected ${SOURCE_SHA256[name]}; refusing to build from an unknown source`);
  }
  return buf;
}

function readDigits() {
  const text = gunzipSync(readSource(DIGITS_CSV, 'digits.csv.gz', 'python3-sklearn')).toString('utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const n = lines.length;
  const pixels = new Uint8Array(n * 64);
  const labels = new Uint8Array(n);
  lines.forEach((line, i) => {
    const cells = line.split(',').map((c) => Number(c));
    if (cells.length !== 65) fail(`digits.csv.gz line ${i + 1}: expected 65 values, found ${cells.length}`);
    for (let j = 0; j < 64; j++) {
      const v = cells[j];
      if (!Number.isInteger(v) || v < 0 || v > 16) fail(`digits.csv.gz line ${i + 1}: pixel ${j} is ${v}, not 0..16`);
      pixels[i * 64 + j] = v;
    }
    const label = cells[64];
    if (!Number.isInteger(label) || label < 0 || label > 9) fail(`digits.csv.gz line ${i + 1}: label ${label} not 0..9`);
    labels[i] = label;
  });
  if (n !== 1797) fail(`digits.csv.gz: expected 1797 images, found ${n}`);
  return { pixels, labels, n };
}

function readIdx(name, expectMagic) {
  const buf = gunzipSync(readSource(join(FASHION_DIR, name), name, 'dataset-fashion-mnist'));
  const magic = buf.readUInt32BE(0);
  if (magic !== expectMagic) fail(`${name}: idx magic 0x${magic.toString(16)}, expected 0x${expectMagic.toString(16)}`);
  const dims = [];
  const nd = magic & 0xff;
  for (let d = 0; d < nd; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  const offset = 4 + 4 * nd;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + size) fail(`${name}: ${buf.length} bytes, expected ${offset + size}`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}

function readFashion(split, count) {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(`${prefix}-images-idx3-ubyte.gz`, 0x00000803);
  const labels = readIdx(`${prefix}-labels-idx1-ubyte.gz`, 0x00000801);
  const [n, h, w] = images.dims;
  if (h !== 28 || w !== 28) fail(`${prefix} images are ${h}x${w}, expected 28x28`);
  if (labels.dims[0] !== n) fail(`${prefix}: ${n} images but ${labels.dims[0]} labels`);
  if (n < count) fail(`${prefix}: only ${n} images, need ${count}`);
  return { pixels: images.data.subarray(0, count * 784), labels: labels.data.subarray(0, count), total: n };
}

function encodeAsset({ id, width, height, classes, maxValue, trainPixels, trainLabels, testPixels, testLabels }) {
  const nTrain = trainLabels.length;
  const nTest = testLabels.length;
  const px = width * height;
  if (trainPixels.length !== nTrain * px || testPixels.length !== nTest * px) fail(`${id}: pixel and label counts disagree`);
  const total = HEADER_BYTES + (nTrain + nTest) * (px + 1);
  const out = Buffer.alloc(total); // zero-filled, so padding and reserved bytes are 0
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt16LE(FORMAT_VERSION, 4);
  out.writeUInt16LE(HEADER_BYTES, 6);
  out.writeUInt16LE(width, 8);
  out.writeUInt16LE(height, 10);
  out.writeUInt16LE(classes, 12);
  out.writeUInt16LE(maxValue, 14);
  out.writeUInt32LE(nTrain, 16);
  out.writeUInt32LE(nTest, 20);
  if (id.length > 16 || !/^[a-z0-9-]+$/.test(id)) fail(`bad id ${id}`);
  out.write(id, 24, 'ascii');
  let o = HEADER_BYTES;
  out.set(trainPixels, o);
  o += trainPixels.length;
  out.set(trainLabels, o);
  o += nTrain;
  out.set(testPixels, o);
  o += testPixels.length;
  out.set(testLabels, o);
  o += nTest;
  if (o !== total) fail(`${id}: wrote ${o} of ${total} bytes`);
  return out;
}

function countLabels(labels, classes) {
  const counts = new Array(classes).fill(0);
  for (const l of labels) {
    if (l >= classes) fail(`label ${l} out of range`);
    counts[l]++;
  }
  return counts;
}

function build() {
  const digits = readDigits();
  const digitsAsset = {
    id: 'digits',
    width: 8,
    height: 8,
    classes: 10,
    maxValue: 16,
    trainPixels: digits.pixels.subarray(0, DIGITS_TRAIN * 64),
    trainLabels: digits.labels.subarray(0, DIGITS_TRAIN),
    testPixels: digits.pixels.subarray(DIGITS_TRAIN * 64),
    testLabels: digits.labels.subarray(DIGITS_TRAIN),
  };
  const ftrain = readFashion('train', FASHION_TRAIN);
  const ftest = readFashion('test', FASHION_TEST);
  const fashionAsset = {
    id: 'fashion-mnist',
    width: 28,
    height: 28,
    classes: 10,
    maxValue: 255,
    trainPixels: ftrain.pixels,
    trainLabels: ftrain.labels,
    testPixels: ftest.pixels,
    testLabels: ftest.labels,
  };

  const entries = [
    {
      asset: digitsAsset,
      meta: {
        id: 'digits',
        name: 'UCI handwritten digits 8x8',
        file: 'digits.bin',
        classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        split: `all 1,797 images in source order: the first ${DIGITS_TRAIN} train, the last ${1797 - DIGITS_TRAIN} test`,
        source:
          'Debian python3-sklearn: sklearn/datasets/data/digits.csv.gz (the test set of the UCI Optical Recognition of Handwritten Digits data set)',
        sourceUrl: 'https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits',
        sourceSha256: { 'digits.csv.gz': SOURCE_SHA256['digits.csv.gz'] },
        licence: 'CC BY 4.0',
        attribution:
          'E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits, UCI Machine Learning Repository, 1998. https://doi.org/10.24432/C50P49',
      },
    },
    {
      asset: fashionAsset,
      meta: {
        id: 'fashion-mnist',
        name: 'Fashion-MNIST',
        file: 'fashion-mnist.bin',
        classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
        split:
          `the first ${FASHION_TRAIN} of the ${ftrain.total} official training images ` +
          `and the first ${FASHION_TEST} of the ${ftest.total} official test images`,
        source: 'Debian dataset-fashion-mnist: /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz',
        sourceUrl: 'https://github.com/zalandoresearch/fashion-mnist',
        sourceSha256: Object.fromEntries(Object.entries(SOURCE_SHA256).filter(([k]) => k !== 'digits.csv.gz')),
        licence: 'MIT',
        attribution:
          'H. Xiao, K. Rasul and R. Vollgraf, Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms, ' +
          'arXiv:1708.07747, 2017. Copyright (c) 2017 Zalando SE.',
      },
    },
  ];

  const files = new Map();
  const datasets = entries.map(({ asset, meta }) => {
    const bytes = encodeAsset(asset);
    files.set(meta.file, bytes);
    return {
      id: meta.id,
      name: meta.name,
      file: meta.file,
      bytes: bytes.length,
      sha256: sha256(bytes),
      width: asset.width,
      height: asset.height,
      classes: asset.classes,
      maxValue: asset.maxValue,
      train: asset.trainLabels.length,
      test: asset.testLabels.length,
      trainLabelCounts: countLabels(asset.trainLabels, asset.classes),
      testLabelCounts: countLabels(asset.testLabels, asset.classes),
      classNames: meta.classNames,
      split: meta.split,
      licence: meta.licence,
      attribution: meta.attribution,
      source: meta.source,
      sourceUrl: meta.sourceUrl,
      sourceSha256: meta.sourceSha256,
    };
  });
  const manifest = { format: `${MAGIC} v${FORMAT_VERSION}`, generator: 'scripts/build-datasets.mjs', datasets };
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
  return { files, datasets };
}

const { files, datasets } = build();
if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [name, bytes] of files) {
    const path = join(OUT_DIR, name);
    const same = existsSync(path) && readFileSync(path).equals(bytes);
    if (!same) {
      console.error(`build-datasets: public/data/${name} is missing or differs from a fresh build`);
      stale++;
    }
  }
  if (stale) process.exit(1);
  console.log('build-datasets: public/data/ matches a fresh build');
} else {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(OUT_DIR, name), bytes);
  for (const d of datasets) {
    console.log(`public/data/${d.file}: ${d.bytes} bytes, ${d.train} train + ${d.test} test, ${d.width}x${d.height}, sha256 ${d.sha256}`);
  }
  console.log('public/data/manifest.json written');
}
