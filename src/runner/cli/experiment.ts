/**
 * `npm run experiment -- <sweep.json> [--shard i/n | --shards n] [--out dir] [--data dir]`:
 * runs a sweep headless on the tfjs cpu backend, one JSON result per run in results/<sweep>/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { parseSweep } from '../../core/experiment/sweep';
import { runSweep } from '../runSweep';
import { parseArgs, shardFrom } from './args';

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2), ['shard', 'shards', 'out', 'data']);
  if (positional.length !== 1) throw new Error('usage: npm run experiment -- <sweep.json> [--shard i/n | --shards n] [--out dir] [--data dir]');
  const text = readFileSync(positional[0], 'utf8');
  const parsed = parseSweep(text);
  if (!parsed.ok) throw new Error(`${positional[0]} is not a valid sweep file:\n  ${parsed.errors.join('\n  ')}`);
  await tf.setBackend('cpu');
  await tf.ready();
  const shard = shardFrom(flags, process.env);
  const root = flags.get('out') ?? join('results', parsed.sweep.name);
  const tty = process.stderr.isTTY;
  const outcome = await runSweep(text, {
    root,
    shard,
    dataDir: flags.get('data') ?? 'public/data',
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
