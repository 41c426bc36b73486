/**
 * Builds the experiment commands (src/runner/cli) into dist-node/ for plain Node. tfjs-core's
 * ES build uses directory imports that Node's ESM loader refuses, so the commands are bundled
 * (tfjs included) instead of run from source; `npm run experiment` builds before it runs.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist-node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: {
        experiment: 'src/runner/cli/experiment.ts',
        'experiment-merge': 'src/runner/cli/merge.ts',
        'experiment-report': 'src/runner/cli/report.ts',
      },
      output: { entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
  ssr: { noExternal: true },
});
