/**
 * Angular spectrum of g on a circle around the data centre. The paper contrasts the dipole
 * (l = 1: g mostly rises in one direction, typical of a Xavier-initialised g) with the quadrupole
 * (l = 2: the saddle / XOR harmonic, which learned g's carry more of).
 */
import { type GridSpec } from '../grid';

/**
 * Bilinear interpolation of a size*size row-major field at (x, y) in grid units. Points outside
 * the grid are clamped to its border, so a circle that pokes out reads the edge values instead
 * of inventing values g was never evaluated at.
 */
export function bilinear(values: Float32Array, grid: GridSpec, x: number, y: number): number {
  const { size, min, max } = grid;
  if (size < 2) return values[0];
  const h = (max - min) / (size - 1);
  const fx = Math.min(size - 1, Math.max(0, (x - min) / h));
  const fy = Math.min(size - 1, Math.max(0, (y - min) / h));
  const c0 = Math.min(size - 2, Math.floor(fx));
  const r0 = Math.min(size - 2, Math.floor(fy));
  const tx = fx - c0;
  const ty = fy - r0;
  const v00 = values[r0 * size + c0];
  const v01 = values[r0 * size + c0 + 1];
  const v10 = values[(r0 + 1) * size + c0];
  const v11 = values[(r0 + 1) * size + c0 + 1];
  return (1 - ty) * ((1 - tx) * v00 + tx * v01) + ty * ((1 - tx) * v10 + tx * v11);
}

/**
 * Power of g at angular harmonics l = 0..lMax on the circle of `radius` around `centre`,
 * sampled at `samples` equally spaced angles theta_k = 2 pi k / M (theta measured from the +a
 * axis towards +b):
 *   c_l = (1/M) sum_k f(theta_k) e^{-i l theta_k},  P_0 = c_0^2,  P_l = 2 |c_l|^2 (l > 0).
 * The factor 2 folds in the conjugate harmonic -l, so by Parseval the powers of all harmonics
 * up to M/2 sum to the mean square of f on the circle; truncating at lMax leaves out only the
 * higher harmonics. Example: f = cos(2 theta) gives P_2 = 0.5 = mean of cos^2, all else ~0.
 */
export function angularSpectrum(
  values: Float32Array,
  grid: GridSpec,
  centre: [number, number],
  radius: number,
  lMax = 3,
  samples = 128,
): number[] {
  const f = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    const theta = (2 * Math.PI * k) / samples;
    f[k] = bilinear(values, grid, centre[0] + radius * Math.cos(theta), centre[1] + radius * Math.sin(theta));
  }
  const power: number[] = [];
  for (let l = 0; l <= lMax; l++) {
    let re = 0;
    let im = 0;
    for (let k = 0; k < samples; k++) {
      const phase = (2 * Math.PI * l * k) / samples;
      re += f[k] * Math.cos(phase);
      im -= f[k] * Math.sin(phase);
    }
    re /= samples;
    im /= samples;
    power.push(l === 0 ? re * re : 2 * (re * re + im * im));
  }
  return power;
}
