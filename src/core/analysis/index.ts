/** Shape analysis of a learned two-argument activation g(a, b): the paper's four views in numbers. */
export { cellWidth, densityMoments, gaussianSmooth, histogram2d, massMask, maskArea, normalise } from './density';
export { fitQuadratic, solveLinear } from './quadratic';
export type { QuadraticFit } from './quadratic';
export { angularSpectrum, bilinear } from './spectrum';
export { analyseShape, describeVerdict, verdictOf } from './shape';
export type { ShapeAnalysis, ShapeVerdict } from './shape';
