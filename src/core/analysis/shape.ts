/**
 * The shape verdict on a learned two-argument activation g(a, b), as in the paper: fit a
 * quadratic inside the region where the network operates and call it a saddle ("soft XOR")
 * when the quadratic's Hessian determinant 4 c0 c1 - c2^2 is negative. The sign of the ab term
 * says which saddle: g ~ -ab is XOR-like, g ~ +ab is XNOR-like.
 */
import { type GridSpec } from '../grid';
import { cellWidth, densityMoments, maskArea } from './density';
import { fitQuadratic, type QuadraticFit } from './quadratic';
import { angularSpectrum } from './spectrum';

export type ShapeVerdict = 'soft-xor' | 'soft-xnor' | 'not-saddle';
export interface ShapeAnalysis {
  fit: QuadraticFit;
  hessianDet: number; // 4*c0*c1 - c2^2 ; < 0 means saddle
  verdict: ShapeVerdict;
  centre: [number, number]; // density-weighted mean of the arguments (grid centre if density empty)
  radius: number; // density-weighted RMS distance from the centre (used for the spectrum circle)
  spectrum: number[]; // power at l = 0,1,2,3 on that circle
  maskArea: number; // area of the 90% region in argument units^2
}

/**
 * det / ((lambda1^2 + lambda2^2) / 2) for the Hessian [[2c0, c2], [c2, 2c1]]: a scale-free
 * measure in [-1, 1] (-1 a pure saddle such as ab or a^2 - b^2, +1 an isotropic bowl or dome,
 * 0 a ridge). NaN when there is no curvature at all.
 */
export function relativeDet(c: QuadraticFit['c']): number {
  const [c0, c1, c2] = c;
  return (4 * c0 * c1 - c2 * c2) / (2 * c0 * c0 + 2 * c1 * c1 + c2 * c2);
}

/**
 * Curvature below this fraction of the linear/constant terms is treated as float noise (the
 * fit of an exact plane from float32 values has quadratic coefficients around 1e-8, not 0).
 */
const CURVATURE_NOISE = 1e-6;
/** A determinant within 0.1% of its largest possible magnitude counts as zero, so float noise on
 *  a ridge (det exactly 0 in theory) cannot flip the verdict to "saddle". */
export const DET_NOISE = 1e-3;
/** |relative det| below this is described as ridge-like / a weak saddle. */
const NEAR_RIDGE = 0.05;

export function curvatureNegligible(c: QuadraticFit['c']): boolean {
  const [c0, c1, c2, c3, c4, c5] = c;
  const curvature = Math.sqrt(2 * c0 * c0 + 2 * c1 * c1 + c2 * c2);
  return !(curvature > CURVATURE_NOISE * Math.max(1, Math.abs(c3), Math.abs(c4), Math.abs(c5)));
}

/**
 * The paper's rule: a saddle iff det = 4 c0 c1 - c2^2 < 0 (up to the noise floors above).
 * Orientation comes from the ab coefficient alone, which is unchanged by shifting the centre or
 * adding linear terms: c2 > 0 (g ~ ab, high when both arguments share a sign) is XNOR-like,
 * c2 <= 0 (g ~ -ab, high when exactly one is high) XOR-like. An axis-aligned saddle (c2 ~ 0,
 * e.g. a^2 - b^2) still gets the label of its sign; describeVerdict says the label is weak.
 */
export function verdictOf(c: QuadraticFit['c']): { hessianDet: number; verdict: ShapeVerdict } {
  const hessianDet = 4 * c[0] * c[1] - c[2] * c[2];
  if (!c.every(Number.isFinite) || curvatureNegligible(c) || !(relativeDet(c) < -DET_NOISE)) {
    return { hessianDet, verdict: 'not-saddle' };
  }
  return { hessianDet, verdict: c[2] > 0 ? 'soft-xnor' : 'soft-xor' };
}

/**
 * Full analysis of g (size*size row-major values on `grid`). `density` is the smoothed argument
 * histogram on the same grid and `mask` the region to fit in (mask null = every cell). Without a
 * density the mask is ignored (every cell is used), the centre is the grid centre and the
 * spectrum radius a quarter of the grid's extent. A density whose mass sits in a single cell
 * would give radius 0; the radius is kept at least one cell so the spectrum still means something.
 */
export function analyseShape(g: Float32Array, grid: GridSpec, density: Float32Array | null, mask: Uint8Array | null): ShapeAnalysis {
  const fitMask = density ? mask : null;
  const fit = fitQuadratic(g, grid, fitMask);
  const { hessianDet, verdict } = verdictOf(fit.c);
  const moments = density ? densityMoments(density, grid) : null;
  const mid = (grid.min + grid.max) / 2;
  const centre: [number, number] = moments ? moments.centre : [mid, mid];
  const radius = moments ? Math.max(moments.radius, cellWidth(grid)) : (grid.max - grid.min) / 4;
  const spectrum = angularSpectrum(g, grid, centre, radius, 3);
  const area = maskArea(fitMask ?? new Uint8Array(grid.size * grid.size).fill(1), grid);
  return { fit, hessianDet, verdict, centre, radius, spectrum, maskArea: area };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(2))) : String(x);
}

/** One honest sentence for the verdict panel, including how well the quadratic fits. */
export function describeVerdict(a: ShapeAnalysis): string {
  const { fit, hessianDet, verdict } = a;
  if (!Number.isFinite(fit.mse)) {
    return `No shape verdict: only ${fit.n} usable grid cells in the region (a quadratic needs at least 6 not on one line).`;
  }
  const [c0, c1, c2] = fit.c;
  const quality = `quadratic fit cosine ${fit.cosine.toFixed(2)}`;
  const caveat = fit.cosine < 0.8 ? ' The quadratic describes g only loosely here, so treat this verdict with caution.' : '';
  const det = fmt(hessianDet);
  const rel = relativeDet(fit.c);
  if (verdict === 'not-saddle') {
    let kind: string;
    if (curvatureNegligible(fit.c)) kind = 'plane-like (no measurable curvature)';
    else if (rel < NEAR_RIDGE) kind = `ridge-like (curved along one direction only, det ${det} ≈ 0)`;
    else kind = c0 + c1 > 0 ? `a bowl (convex, det ${det})` : `a dome (concave, det ${det})`;
    return `Not a saddle: ${kind}; ${quality}.${caveat}`;
  }
  const head =
    verdict === 'soft-xor'
      ? `Soft XOR: a saddle (det ${det}) high when exactly one argument is high`
      : `Soft XNOR: a saddle (det ${det}) high when both arguments are high or both are low`;
  const notes: string[] = [];
  if (rel > -NEAR_RIDGE) notes.push(' It is a weak saddle, close to a ridge.');
  if (Math.abs(c2) < 0.25 * Math.abs(c0 - c1)) {
    notes.push(
      ' The saddle is nearly axis-aligned (small ab term): g mostly rises along one argument and falls along the other, so the XOR/XNOR label is weak.',
    );
  }
  return `${head}; ${quality}.${notes.join('')}${caveat}`;
}
