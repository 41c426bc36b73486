/**
 * Strict decimal number parsing for untrusted text (links, typed settings, uploaded CSV): one
 * definition, so a value the link accepts is a value an upload accepts.
 */

/** A decimal number as JavaScript prints one (no hex, no 'Infinity', no empty string). */
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Strict number parse (surrounding spaces allowed): NaN for anything that is not plainly a decimal number. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return NUMBER_PATTERN.test(t) ? Number(t) : NaN;
}
