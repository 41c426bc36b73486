/**
 * The shareable link: Params <-> URL hash (`#v=1&dataset=spiral&hidden=8,8&ln=0`).
 *
 * Only values that differ from the defaults are written, so links stay short and a link made
 * today keeps its meaning if a default changes later only for the keys it names. Decoding
 * treats the hash as hostile input: every value is converted by its spec kind and then
 * validated by the ONE schema (sanitizeParams), so nothing outside the spec can reach the app.
 *
 * `preset=paper-digits` is a link-only key: it expands into the params it sets (src/core/presets.ts),
 * the link's other keys apply on top, and the link written back names the params, not the preset.
 */
import { PARAM_KEYS, PARAM_SPECS, defaultParams, sanitizeParams, type Correction, type Params } from '../core/params';
import { PRESET_NAMES, applyPreset, isPresetName } from '../core/presets';
import { parseNumber } from '../core/parseNumber';

/** The link-only key that expands into a paper preset's params. */
export const PRESET_KEY = 'preset';

/** Version of the link format; bump when a key changes meaning. */
export const LINK_VERSION = '1';

/** Longest hash we read at all; anything longer is not a link this app wrote. */
const MAX_HASH_LENGTH = 4096;

/** "8, 8" -> [8, 8]; "" -> [] (a network with no hidden layer is valid). NaN marks bad entries. */
export function parseNumberList(text: string): number[] {
  const t = text.trim();
  if (t === '') return [];
  return t.split(',').map(parseNumber);
}

function formatValue(value: Params[keyof Params]): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  // String(number) is JavaScript's shortest round-trip form; -0 and 0 are the same setting.
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? formatValue(v) : v)).join(',');
  return value;
}

/** Percent-encodes a value but keeps commas readable ("8,8", not "8%2C8"). */
function encodeValue(text: string): string {
  return encodeURIComponent(text).replace(/%2C/gi, ',');
}

/** Params -> hash body (without '#'): `v=1` plus every key whose value differs from its default. */
export function encodeLink(p: Params): string {
  const defaults = defaultParams();
  const parts = [`v=${LINK_VERSION}`];
  for (const key of PARAM_KEYS) {
    if (JSON.stringify(p[key]) === JSON.stringify(defaults[key])) continue;
    parts.push(`${key}=${encodeValue(formatValue(p[key]))}`);
  }
  return parts.join('&');
}

/** Converts one link string to the raw type its spec expects; sanitizeParams judges the result. */
function toRaw(key: keyof Params, text: string): unknown {
  const spec = PARAM_SPECS[key];
  switch (spec.kind) {
    case 'number':
      return parseNumber(text);
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (t === '1' || t === 'true') return true;
      if (t === '0' || t === 'false') return false;
      return text; // not a boolean: sanitizeValue replaces it by the default and says why
    }
    case 'intList':
      return parseNumberList(text);
    case 'nameList':
      return text.trim() === '' ? [] : text.split(',').map((s) => s.trim());
    case 'enum':
    case 'points':
      return text;
  }
}

/** The defaults, with the link's preset applied when it names a known one (otherwise a correction says so). */
function presetBase(given: string[], corrections: Correction[]): Params {
  if (given.length === 0) return defaultParams();
  const name = given[0].trim();
  if (given.length > 1)
    corrections.push({ key: PRESET_KEY, problem: `given ${given.length} times; the first (${name.slice(0, 40) || 'empty'}) used` });
  if (isPresetName(name)) return applyPreset(defaultParams(), name);
  corrections.push({
    key: PRESET_KEY,
    problem: `"${name.slice(0, 40)}" is not a preset (known: ${PRESET_NAMES.join(', ')}); ignored, the other settings used`,
  });
  return defaultParams();
}

/**
 * Untrusted hash (with or without '#') -> valid Params and the list of corrections made.
 * Unknown keys are ignored silently (old or foreign links); never throws.
 */
export function decodeLink(hash: string): { params: Params; corrections: Correction[] } {
  try {
    let body = typeof hash === 'string' ? hash : '';
    if (body.startsWith('#')) body = body.slice(1);
    const corrections: Correction[] = [];
    if (body.length > MAX_HASH_LENGTH) {
      return { params: defaultParams(), corrections: [{ key: 'link', problem: 'too long, ignored' }] };
    }
    const query = new URLSearchParams(body);
    const version = query.get('v');
    if (version !== null && version !== LINK_VERSION) {
      corrections.push({ key: 'v', problem: `link version "${version.slice(0, 20)}" is unknown; read as version ${LINK_VERSION}` });
    }
    const base = presetBase(query.getAll(PRESET_KEY), corrections);
    const raw: Record<string, unknown> = {};
    for (const key of PARAM_KEYS) {
      const all = query.getAll(key);
      if (all.length === 0) continue;
      raw[key] = toRaw(key, all[0]);
      // A repeated key is ambiguous: say which one counts.
      if (all.length > 1)
        corrections.push({ key, problem: `given ${all.length} times; the first (${all[0].slice(0, 40) || 'empty'}) used` });
    }
    const result = sanitizeParams(raw, base);
    return { params: result.params, corrections: [...corrections, ...result.corrections] };
  } catch {
    // Belt and braces: a link must never take the page down.
    return { params: defaultParams(), corrections: [{ key: 'link', problem: 'could not be read, defaults used' }] };
  }
}
