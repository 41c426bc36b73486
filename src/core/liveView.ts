/**
 * What the live view reads from a network, independent of the engine (tfjs or fused): the
 * argument plane and input plane it is drawn on, how many examples make the argument density,
 * and the density + shape analysis from the collected arguments. Pure: no tensors.
 */
import { gaussianSmooth, histogram2d, massMask, normalise } from './analysis/density';
import { analyseShape, type ShapeAnalysis } from './analysis/shape';
import type { GridSpec } from './grid';

/** The argument plane shown and analysed: LayerNorm-ed arguments live well inside [-4, 4]. */
export const ARGUMENT_GRID: GridSpec = { min: -4, max: 4, size: 64 };
/**
 * The input plane of the 2D datasets (clean patterns in [-1, 1]; noise reaches 1.5). 36x36:
 * the decision surface is the costliest read-out (every grid point runs g in every unit; on the
 * cpu backend 50x50 took 130 ms of a 150 ms snapshot); drawn with smoothing it looks the same.
 */
export const INPUT_GRID: GridSpec = { min: -1.5, max: 1.5, size: 36 };
/** Examples whose unit arguments make up the density (a fixed prefix of the training set). */
export const DENSITY_EXAMPLES = 256;
/** Smoothing of the argument histogram (grid cells), the live view's and the bootstrap verdict's. */
export const DENSITY_SIGMA_CELLS = 1.5;
/** Points of a one-argument g(z) curve across the argument range. */
const G1D_POINTS = 121;

/** Where a one-argument g(z) is sampled for its curve. */
export function g1dAxis(): Float32Array {
  const { min, max } = ARGUMENT_GRID;
  return Float32Array.from({ length: G1D_POINTS }, (_, i) => min + ((max - min) * i) / (G1D_POINTS - 1));
}

export interface LiveShape {
  density: { all: Float32Array; perLayer: Float32Array[]; mask: Uint8Array };
  analysis: ShapeAnalysis;
}

/** Per-layer densities (each normalised, then averaged), the 90% mask and the shape of g inside it. */
export function liveShape(argumentsPerLayer: readonly Float32Array[], g: Float32Array): LiveShape {
  const size = ARGUMENT_GRID.size;
  const perLayer = argumentsPerLayer.map((pairs) =>
    normalise(gaussianSmooth(histogram2d(pairs, ARGUMENT_GRID), size, DENSITY_SIGMA_CELLS)),
  );
  const all = new Float32Array(size * size);
  for (const layer of perLayer) for (let i = 0; i < all.length; i++) all[i] += layer[i] / perLayer.length;
  const mask = massMask(all, 0.9);
  return { density: { all, perLayer, mask }, analysis: analyseShape(g, ARGUMENT_GRID, all, mask) };
}
