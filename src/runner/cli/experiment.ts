/**
 * `npm run experiment -- <sweep.json> [--shard i/n | --shards n] [--out dir] [--data dir] [--engine fused|tfjs] [--backend cpu|wasm]`:
 * runs a sweep headless, one JSON result per run in results/<sweep>/. The fused engine
 * (WebAssembly SIMD) trains; tfjs is the reference engine and runs the attacks, on its cpu
 * backend (the default) or its wasm backend (`--backend wasm`, the browser's tfjs-wasm, SIMD,
 * one thread as in a page that is not cross-origin isolated).
 */

/** The fused engine's module, next to the sources (the bundle lives in dist-node/, one level down). */
const WASM_FROM_BUNDLE = '../src/core/fused/fused.wasm';

async function engineFor(name: string): Promise<EngineFactory> {
  if (name === 'tfjs') return tfjsEngine;
  if (name !== 'fused') throw new Error(`--engine must be fused or tfjs (got ${name})`);
  const bytes = readFileSync(fileURLToPath(new URL(WASM_FROM_BUNDLE, import.meta.url)));
  return fusedEngine(fusedKernels(await compileFusedModule(bytes)).factory);
}
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { useWasmBackend } from '../wasmBackend';
import { fusedEngine, tfjsEngine, type EngineFactory } from '../../core/experiment/engines';
import { parseSweep } from '../../core/experiment/sweep';
import { compileFusedModule, fusedKernels } from '../../core/fused';
import { runSweep } from '../runSweep';
import { parseArgs, shardFrom } from './args';

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2), ['shard', 'shards', 'out', 'data', 'engine', 'backend']);
  if (positional.length !== 1)
    throw new Error(
      'usage: npm run experiment -- <sweep.json> [--shard i/n | --shards n] [--out dir] [--data dir] [--engine fused|tfjs] [--backend cpu|wasm]',
    );
  const text = readFileSync(positional[0], 'utf8');
  const parsed = parseSweep(text);
  if (!parsed.ok) throw new Error(`${positional[0]} is not a valid sweep file:\n  ${parsed.errors.join('\n  ')}`);
  const backend = flags.get('backend') ?? 'cpu';
  if (backend === 'wasm') await useWasmBackend();
  else if (backend !== 'cpu') throw new Error(`--backend must be cpu or wasm (got ${backend})`);
  else await tf.setBackend('cpu');
  await tf.ready();
  const shard = shardFrom(flags, process.env);
  const root = flags.get('out') ?? join('results', parsed.sweep.name);
  const tty = process.stderr.isTTY;
  const outcome = await runSweep(text, {
    root,
    shard,
    dataDir: flags.get('data') ?? 'public/data',
    engine: await engineFor(flags.get('engine') ?? 'fused'),
    log: (line, transient) => {
      if (transient && tty) process.stderr.write(`\r${line.padEnd(100)}`);
      else if (!transient) process.stderr.write(`${tty ? '\r' : ''}${line}\n`);
    },
  });
  console.log(`${outcome.ran.length} run(s) done, ${outcome.skipped.length} skipped; results in ${outcome.folder}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
