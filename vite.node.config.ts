/**
 * Builds the experiment commands (src/runner/cli) into dist-node/ for plain Node. tfjs-core's
 * ES build uses directory imports that Node's ESM loader refuses, so the commands are bundled
 * (tfjs included) instead of run from source; `npm run experiment` builds before it runs.
 */
import { defineConfig } from 'vite';

// tfjs-backend-wasm's Node loader (emscripten) is CommonJS at heart: it calls require('fs') and
// reads __dirname. An ES module has neither, so every command defines them (`--backend wasm`).
const COMMONJS_GLOBALS = [
  "import { createRequire as __nodeCreateRequire } from 'node:module';",
  "import { fileURLToPath as __nodeFileURLToPath } from 'node:url';",
  "import { dirname as __nodeDirname } from 'node:path';",
  'const require = __nodeCreateRequire(import.meta.url);',
  'const __filename = __nodeFileURLToPath(import.meta.url);',
  'const __dirname = __nodeDirname(__filename);',
].join('\n');

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
        'experiment-bench': 'src/runner/cli/bench.ts',
      },
      output: { entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', banner: COMMONJS_GLOBALS },
    },
  },
  ssr: { noExternal: true },
});
