/** A square grid over [min, max]^2 with `size` points per side, row-major: y outer, x inner. */
export interface GridSpec {
  min: number;
  max: number;
  size: number;
}

/** Coordinate of grid index i (0..size-1) along either axis. */
export function gridCoord(grid: GridSpec, i: number): number {
  return grid.size === 1 ? (grid.min + grid.max) / 2 : grid.min + ((grid.max - grid.min) * i) / (grid.size - 1);
}

/** Interleaved (x, y) pairs of every grid point, row-major (y outer, x inner). */
export function gridPoints(grid: GridSpec): Float32Array {
  const out = new Float32Array(grid.size * grid.size * 2);
  for (let r = 0; r < grid.size; r++) {
    const y = gridCoord(grid, r);
    for (let c = 0; c < grid.size; c++) {
      const k = 2 * (r * grid.size + c);
      out[k] = gridCoord(grid, c);
      out[k + 1] = y;
    }
  }
  return out;
}
