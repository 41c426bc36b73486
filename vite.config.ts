import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * Content-Security-Policy for the built page only: the dev server injects an inline script
 * (React refresh) that this policy would block. 'wasm-unsafe-eval' lets tfjs compile its
 * WebAssembly; blob: workers are allowed for tfjs internals; inline styles are Plotly's.
 */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'";

function cspMeta(): Plugin {
  return {
    name: 'csp-meta',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace(/(<meta charset[^>]*>)/i, `$1\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

// One config for the app (vite) and the unit tests (vitest).
export default defineConfig({
  plugins: [react(), cspMeta()],
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench.html drives the worker without the UI, for `npm run bench`; experiments.html shows sweep results;
    // gpu-check.html checks the WebGPU fused step against the CPU engine (browser tests, bench), linked from nowhere.
    rollupOptions: {
      input: { main: 'index.html', bench: 'bench.html', experiments: 'experiments.html', gpuCheck: 'gpu-check.html' },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // tfjs cpu is single-threaded JS; forks keep memory per file bounded on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
