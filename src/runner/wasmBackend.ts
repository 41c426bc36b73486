/**
 * tfjs's wasm backend in Node, for the runner's tfjs engine and attacks (`--backend wasm`).
 * The commands are bundled (vite.node.config.ts), so the backend cannot find its .wasm files
 * next to its own script: they are read from the installed package instead. Threads are off, as
 * in the app's worker (the page is not cross-origin isolated), so Node and browser compare alike.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export async function useWasmBackend(): Promise<void> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  // A prefix (not per-file URLs): Node's emscripten loader reads the file at prefix + name.
  setWasmPaths(join(dist, 'dist') + '/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend in this Node');
}
