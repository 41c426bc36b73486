/** Largest |a - b| over the largest |a|: the GPU checks' measure (1e-4 passes). */
export function relDiff(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return scale > 0 ? diff / scale : diff;
}
