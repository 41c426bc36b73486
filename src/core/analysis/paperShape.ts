/**
 * The shape analysis as the authors ran it (the live view uses a coarser, faster version, see
 * core/run.ts): arguments from the test set, 101 x 101 bins over [-5, 5]^2, Gaussian smoothing
 * with sigma 0.5 argument units, the quadratic fitted inside the smallest region holding 90% of
 * the smoothed mass. The angular spectrum is this app's own addition (the authors' code has
 * none); since the l = 2 vs l = 1 comparison depends on the circle, it is reported at several
 * radii (multiples of the density's RMS radius around its centre, no trend removed).
 */
import type { GridSpec } from '../grid';
import { cellWidth, gaussianSmooth, histogram2d, massMask, normalise } from './density';
import { analyseShape, type ShapeAnalysis } from './shape';
import { angularSpectrum } from './spectrum';

export const PAPER_GRID: GridSpec = { min: -5, max: 5, size: 101 };
export const PAPER_SIGMA_UNITS = 0.5;
export const SPECTRUM_RADII = [0.5, 1, 2] as const;

export interface PaperShape extends ShapeAnalysis {
  /** Power at l = 0..3 on circles of SPECTRUM_RADII x the RMS radius. */
  spectra: { radius: number; power: number[] }[];
}

/**
 * `g` on PAPER_GRID (row-major, b outer), `argumentsPerLayer` the (a, b) pairs of the layers
 * to pool (the first layer only in the paper). Layers are weighted equally.
 */
export function paperShape(g: Float32Array, argumentsPerLayer: readonly Float32Array[]): PaperShape {
  const grid = PAPER_GRID;
  const size = grid.size;
  const sigmaCells = PAPER_SIGMA_UNITS / cellWidth(grid);
  const density = new Float32Array(size * size);
  for (const pairs of argumentsPerLayer) {
    const layer = normalise(gaussianSmooth(histogram2d(pairs, grid), size, sigmaCells));
    for (let i = 0; i < density.length; i++) density[i] += layer[i] / argumentsPerLayer.length;
  }
  const mask = massMask(density, 0.9);
  const shape = analyseShape(g, grid, density, mask);
  const spectra = SPECTRUM_RADII.map((k) => ({
    radius: k * shape.radius,
    power: angularSpectrum(g, grid, shape.centre, k * shape.radius, 3),
  }));
  return { ...shape, spectra };
}
