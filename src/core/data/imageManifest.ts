/**
 * The image data manifest (public/data/manifest.json): a pure, zod-checked parser. Loading the
 * manifest and the data files is I/O and lives in the worker (src/worker/fetchWithProgress.ts).
 */
import { z } from 'zod';

const count = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative');
const text = z.string({ error: 'missing' });

const entrySchema = z.object({
  id: text.min(1, 'missing'),
  name: text.min(1, 'missing'),
  // A bare file name: the manifest must never point outside the data folder.
  file: text.regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'bad file name'),
  bytes: count,
  sha256: text.regex(/^[0-9a-f]{64}$/, 'bad sha256'),
  width: count,
  height: count,
  classes: count,
  train: count,
  test: count,
  classNames: z
    .array(z.unknown())
    .optional()
    .transform((names) => (names ?? []).map(String)),
  licence: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v : '')),
  attribution: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v : '')),
});

const manifestSchema = z.object({ datasets: z.array(z.unknown(), { error: 'no datasets list' }) }, { error: 'no datasets list' });

/** One entry of the manifest (the fields the app relies on). */
export type ImageManifestEntry = z.infer<typeof entrySchema>;

function malformed(reason: string): Error {
  return new Error(`the data manifest is malformed (${reason})`);
}

/**
 * Parses manifest.json text or its parsed object. Throws an Error naming the first bad entry,
 * field and reason ("the data manifest is malformed (entry 0: file: bad file name)").
 */
export function parseImageManifest(json: unknown): ImageManifestEntry[] {
  let root = json;
  if (typeof json === 'string') {
    try {
      root = JSON.parse(json);
    } catch {
      throw malformed('not JSON');
    }
  }
  const top = manifestSchema.safeParse(root);
  if (!top.success) throw malformed('no datasets list');
  return top.data.datasets.map((raw, i) => {
    const entry = entrySchema.safeParse(raw);
    if (entry.success) return entry.data;
    const issue = entry.error.issues[0];
    const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw malformed(`entry ${i}: ${field}${issue.path.length > 0 ? issue.message : 'not an object'}`);
  });
}
