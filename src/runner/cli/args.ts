/** Command-line parsing shared by the experiment commands: positional paths and --flags, with clear errors. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string>;
}

export function parseArgs(argv: readonly string[], known: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2);
    if (!known.includes(name)) throw new Error(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

/**
 * The shard this process runs: `--shard i/n`, or `--shards n` with the index from
 * JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it), else the whole sweep.
 */
export function shardFrom(flags: Map<string, string>, env: Record<string, string | undefined>): { index: number; count: number } {
  const explicit = flags.get('shard');
  if (explicit !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(explicit);
    if (!m) throw new Error(`--shard must look like i/n, e.g. 0/4 (got ${explicit})`);
    return { index: Number(m[1]), count: Number(m[2]) };
  }
  const shards = flags.get('shards');
  if (shards !== undefined) {
    const count = Number(shards);
    const index = Number(env.JOB_COMPLETION_INDEX);
    if (!Number.isInteger(count) || count < 1) throw new Error(`--shards must be a whole number >= 1 (got ${shards})`);
    if (env.JOB_COMPLETION_INDEX === undefined || !Number.isInteger(index))
      throw new Error('--shards needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job), or use --shard i/n');
    return { index, count };
  }
  return { index: 0, count: 1 };
}
