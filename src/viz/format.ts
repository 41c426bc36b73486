/** Number formatting for read-outs and charts: plain digits a test or a reader can parse (charts and panels share it). */

/** 4 significant digits ("0.6931", "1.234e-7"); an em dash before there is a value. */
export function sig4(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  return x.toPrecision(4);
}

/** Compact number for small tables: 3 significant digits, no trailing zeros. */
export function compact(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return String(Number(x.toPrecision(3)));
}

/** 0.9731 -> "97.3%". */
export function percent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(1)}%`;
}

/** 12345 -> "12,345" (thousands separated for parameter counts). */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
