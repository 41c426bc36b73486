/** `npm run experiment:merge -- results/<sweep>`: gathers the shards' run files into the sweep folder. */
import { mergeShards } from '../resultFiles';

try {
  const root = process.argv[2];
  if (!root) throw new Error('usage: npm run experiment:merge -- results/<sweep>');
  const { merged, shards } = mergeShards(root);
  console.log(`merged ${merged} run file(s) from ${shards} shard(s) into ${root}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
