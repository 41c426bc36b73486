/**
 * The committed fused.wasm is what `npm run build:wasm` makes from assembly/ today (the
 * AssemblyScript build is deterministic), so the module the app loads cannot go stale.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { expect, it } from 'vitest';
import { WASM_PATH } from './fusedHelpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
process.chdir(ROOT);

it('the committed fused.wasm equals a fresh build of assembly/ with the build:wasm flags', async () => {
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts['build:wasm'];
  const argv = script.split(/\s+/).slice(1);
  expect(argv).toEqual(expect.arrayContaining(['--enable', 'simd', '--runtime', 'stub', '-O3']));
  let built: Uint8Array | null = null;
  const errors: string[] = [];
  const result = await asc.main(argv, {
    // Capture the module instead of overwriting the committed file.
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) built = contents as Uint8Array;
    },
    stderr: { write: (s: string | Uint8Array) => errors.push(String(s)) },
    stdout: { write: () => undefined },
    readFile: (name, baseDir) => {
      try {
        return readFileSync(`${baseDir}/${name}`, 'utf8');
      } catch {
        return null;
      }
    },
  });
  expect(result.error, errors.join('')).toBeNull();
  expect(built).not.toBeNull();
  const committed = new Uint8Array(readFileSync(WASM_PATH));
  expect(Buffer.compare(Buffer.from(built!), Buffer.from(committed)), 'run `npm run build:wasm` and commit src/core/fused/fused.wasm').toBe(
    0,
  );
}, 120_000);
