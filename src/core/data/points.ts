/**
 * The user's own 2D points as every module passes them (uploaded, drawn, decoded from a link),
 * and the size limit on a coordinate that the CSV reader and the link encoding share.
 */

export interface Points2D {
  /** Interleaved x, y. */
  x: Float32Array;
  /** Labels 0/1. */
  y: Float32Array;
}

/** Largest accepted |coordinate| of a point, in a CSV or a link. */
export const POINT_MAX_ABS = 1e6;
