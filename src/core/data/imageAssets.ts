/**
 * Decoding of the image data assets built by scripts/build-datasets.mjs (public/data/*.bin).
 * Pure TypeScript: no DOM, usable in the page, a worker and Node.
 *
 * File layout (little-endian; see the script for the authoritative description):
 *   0 magic "SXDS" | 4 u16 version (1) | 6 u16 header bytes (48) | 8 u16 width | 10 u16 height
 *   12 u16 classes | 14 u16 max pixel value | 16 u32 nTrain | 20 u32 nTest | 24 16-byte ASCII id
 *   40 8 reserved | 48: train pixels (u8, nTrain*w*h), train labels (u8, nTrain),
 *   test pixels (u8, nTest*w*h), test labels (u8, nTest); nothing after.
 */

export const IMAGE_ASSET_MAGIC = 'SXDS';
export const IMAGE_ASSET_VERSION = 1;
export const IMAGE_ASSET_HEADER_BYTES = 48;

/** The image data sets the app ships (ids as in public/data/manifest.json). */
export const IMAGE_DATASETS = ['digits', 'fashion-mnist'] as const;
export type ImageDatasetId = (typeof IMAGE_DATASETS)[number];

export const IMAGE_DATASET_INFO: Record<ImageDatasetId, { name: string; file: string; classNames: string[] }> = {
  digits: {
    name: 'UCI handwritten digits 8x8',
    file: 'digits.bin',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  'fashion-mnist': {
    name: 'Fashion-MNIST',
    file: 'fashion-mnist.bin',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
};

export interface ImageDataset {
  id: string;
  name: string;
  width: number;
  height: number;
  classes: number;
  classNames: string[];
  /** Row-major [nTrain, width * height], pixels scaled to [-1, 1] (2 p / max - 1). */
  trainX: Float32Array;
  /** Class indices 0..classes-1. */
  trainY: Float32Array;
  testX: Float32Array;
  testY: Float32Array;
}

/** The header fields of an asset, without decoding the pixels. */
export interface ImageAssetHeader {
  id: string;
  version: number;
  width: number;
  height: number;
  classes: number;
  maxValue: number;
  nTrain: number;
  nTest: number;
  /** Exact file size implied by the header. */
  expectedBytes: number;
}

function corrupt(reason: string): Error {
  return new Error(`image data file is damaged or not a data file: ${reason}`);
}

function asBytes(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/** Reads and validates the header; throws a clear Error on anything unexpected. */
export function readImageAssetHeader(buffer: ArrayBuffer | ArrayBufferView): ImageAssetHeader {
  const bytes = asBytes(buffer);
  if (bytes.byteLength < IMAGE_ASSET_HEADER_BYTES) {
    throw corrupt(`only ${bytes.byteLength} bytes, shorter than the ${IMAGE_ASSET_HEADER_BYTES}-byte header (truncated download?)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== IMAGE_ASSET_MAGIC) {
    const looksHtml = bytes[0] === 0x3c; // '<': a server's HTML error or index page
    throw corrupt(looksHtml ? 'received an HTML page instead of the data file' : `wrong magic number (expected "${IMAGE_ASSET_MAGIC}")`);
  }
  const version = view.getUint16(4, true);
  if (version !== IMAGE_ASSET_VERSION) {
    throw corrupt(`format version ${version}, this app reads version ${IMAGE_ASSET_VERSION} (rebuild with npm run datasets)`);
  }
  const headerBytes = view.getUint16(6, true);
  if (headerBytes !== IMAGE_ASSET_HEADER_BYTES) throw corrupt(`header size ${headerBytes}, expected ${IMAGE_ASSET_HEADER_BYTES}`);
  const width = view.getUint16(8, true);
  const height = view.getUint16(10, true);
  const classes = view.getUint16(12, true);
  const maxValue = view.getUint16(14, true);
  const nTrain = view.getUint32(16, true);
  const nTest = view.getUint32(20, true);
  if (width < 1 || height < 1 || width > 1024 || height > 1024) throw corrupt(`image size ${width}x${height} out of range`);
  if (classes < 2 || classes > 256) throw corrupt(`${classes} classes, expected 2 to 256`);
  if (maxValue < 1 || maxValue > 255) throw corrupt(`maximum pixel value ${maxValue}, expected 1 to 255`);
  if (nTrain < 1 || nTest < 1) throw corrupt(`${nTrain} training and ${nTest} test images; both must be at least 1`);
  let id = '';
  for (let i = 24; i < 40 && bytes[i] !== 0; i++) id += String.fromCharCode(bytes[i]);
  if (!/^[a-z0-9-]{1,16}$/.test(id)) throw corrupt('invalid data set id in the header');
  const expectedBytes = IMAGE_ASSET_HEADER_BYTES + (nTrain + nTest) * (width * height + 1);
  return { id, version, width, height, classes, maxValue, nTrain, nTest, expectedBytes };
}

/**
 * Decodes an asset into float arrays ready for training. Throws a clear Error when the file is
 * truncated, too long, has labels out of range or pixels above the declared maximum.
 */
export function decodeImageAsset(buffer: ArrayBuffer | ArrayBufferView): ImageDataset {
  const bytes = asBytes(buffer);
  const h = readImageAssetHeader(bytes);
  if (bytes.byteLength < h.expectedBytes) {
    throw corrupt(
      `truncated: ${bytes.byteLength} of ${h.expectedBytes} bytes (${h.id}, ${h.nTrain} + ${h.nTest} images of ${h.width}x${h.height})`,
    );
  }
  if (bytes.byteLength > h.expectedBytes) {
    throw corrupt(`${bytes.byteLength - h.expectedBytes} unexpected bytes after the data (${h.id})`);
  }
  const px = h.width * h.height;
  // Lookup table: pixel value -> [-1, 1]; values above maxValue are NaN and caught below.
  const lut = new Float32Array(256).fill(Number.NaN);
  for (let v = 0; v <= h.maxValue; v++) lut[v] = (2 * v) / h.maxValue - 1;

  let offset = IMAGE_ASSET_HEADER_BYTES;
  const readSplit = (n: number, split: string) => {
    const X = new Float32Array(n * px);
    let bad = -1;
    for (let i = 0; i < n * px; i++) {
      const v = bytes[offset + i];
      if (v > h.maxValue) bad = i;
      X[i] = lut[v];
    }
    if (bad >= 0) throw corrupt(`${split} image ${Math.floor(bad / px)} has a pixel above the maximum ${h.maxValue}`);
    offset += n * px;
    const Y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const l = bytes[offset + i];
      if (l >= h.classes) throw corrupt(`${split} label ${i} is ${l}, but there are only ${h.classes} classes`);
      Y[i] = l;
    }
    offset += n;
    return { X, Y };
  };
  const train = readSplit(h.nTrain, 'training');
  const test = readSplit(h.nTest, 'test');

  const known = (IMAGE_DATASETS as readonly string[]).includes(h.id) ? IMAGE_DATASET_INFO[h.id as ImageDatasetId] : null;
  const classNames =
    known && known.classNames.length === h.classes ? known.classNames.slice() : Array.from({ length: h.classes }, (_, i) => String(i));
  return {
    id: h.id,
    name: known ? known.name : h.id,
    width: h.width,
    height: h.height,
    classes: h.classes,
    classNames,
    trainX: train.X,
    trainY: train.Y,
    testX: test.X,
    testY: test.Y,
  };
}

/**
 * Lower-case hex sha256 of the bytes, via Web Crypto (browsers, workers, Node 20). Where
 * crypto.subtle is missing (a page served over plain http from another host is not a secure
 * context), a small pure-JS implementation gives the same result, so checks never get skipped.
 */
export async function sha256Hex(buffer: ArrayBuffer | ArrayBufferView): Promise<string> {
  const bytes = asBytes(buffer);
  const subtle = globalThis.crypto?.subtle;
  const digest = subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)) : sha256Js(bytes);
  let hex = '';
  for (let i = 0; i < digest.length; i++) hex += digest[i].toString(16).padStart(2, '0');
  return hex;
}

const K256 = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Plain SHA-256 (FIPS 180-4), the fallback of sha256Hex; exported for tests. */
export function sha256Js(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const padded = new Uint8Array(((n + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[n] = 0x80;
  const pv = new DataView(padded.buffer);
  pv.setUint32(padded.length - 8, Math.floor(n / 0x20000000), false);
  pv.setUint32(padded.length - 4, (n << 3) >>> 0, false);
  const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const W = new Uint32Array(64);
  const rotr = (x: number, r: number) => (x >>> r) | (x << (32 - r));
  for (let off = 0; off < padded.length; off += 64) {
    for (let t = 0; t < 16; t++) W[t] = pv.getUint32(off + 4 * t, false);
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15];
      const w2 = W[t - 2];
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
    }
    let a = H[0],
      b = H[1],
      c = H[2],
      d = H[3],
      e = H[4],
      f = H[5],
      g = H[6],
      h = H[7];
    for (let t = 0; t < 64; t++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K256[t] + W[t]) | 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    H[0] += a;
    H[1] += b;
    H[2] += c;
    H[3] += d;
    H[4] += e;
    H[5] += f;
    H[6] += g;
    H[7] += h;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(4 * i, H[i], false);
  return out;
}

/** Counts of each class index in a label array (for tests and the UI's data summary). */
export function labelCounts(labels: Float32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
