// ESLint flat config: typescript-eslint's type-checked rules for every TS file (floating promises,
// unsafe any), React's hook rules for components, and the project's layer and tfjs rules as lint errors.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node globals the .js/.mjs files use, listed by hand (the `globals` package is not installed).
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

// Imports flow one way: core -> worker -> state -> ui/viz. Each layer lists the layers above it.
// The regexes match relative specifiers; no folder inside a layer reuses a layer's name.
const layerAbove = (names) => ({
  regex: `^(\\.\\.?/)+(${names.join('|')})(/|$)`,
  message: 'Imports flow one way: core -> worker -> state -> ui/viz.',
});

export default defineConfig([
  globalIgnores([
    'dist/**',
    'dist-node/**',
    'results/**',
    'node_modules/**',
    'public/**',
    'bench-results/**',
    'test-results/**',
    'playwright-report/**',
    '.vite/**',
    'build/**',
    // AssemblyScript: TS syntax with its own types (i32, f64, load/store) that tsc and eslint cannot check.
    'assembly/**',
  ]),
  // A disable comment that no longer disables anything is stale: fail on it.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `x == null` is the one loose comparison the code uses (null or undefined); everything else is strict.
      eqeqeq: ['error', 'smart'],
      // A new union member (backend, dataset kind, message type) must be handled wherever the union is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // tfjs on webgpu returns zeros from sync reads and can lose the device (shared/browser.md): read with `await t.data()`.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(dataSync|arraySync)$/]',
          message: 'Never read tensors synchronously (zeros on webgpu); use `await t.data()`.',
        },
      ],
    },
  },
  {
    files: ['**/*.tsx', 'src/ui/**/*.ts', 'src/viz/**/*.ts'],
    extends: [reactHooks.configs.flat.recommended],
    // A missing dependency is a stale-closure bug, not a style point: an error like the rest.
    rules: { 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Core is pure TS: no layer above it, no view library, no network, no DOM, no unseeded randomness.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'zustand', 'plotly.js-cartesian-dist-min'],
          patterns: [layerAbove(['worker', 'runner', 'state', 'ui', 'viz', 'bench'])],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['fetch', 'window', 'document', 'localStorage', 'navigator'].map((name) => ({
          name,
          message: 'Core is pure TS: I/O and the DOM live in src/worker or above.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded RNG from src/core/rng.ts.' },
        { object: 'globalThis', property: 'fetch', message: 'Core is pure TS: fetching lives in src/worker.' },
      ],
    },
  },
  {
    // The Node host of headless experiments stands beside the worker: core only.
    files: ['src/runner/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerAbove(['worker', 'state', 'ui', 'viz', 'bench'])] }] },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerAbove(['state', 'ui', 'viz'])] }] },
  },
  {
    files: ['src/state/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerAbove(['ui', 'viz'])] }] },
  },
  {
    // viz draws from props and store slices; it never imports ui.
    files: ['src/viz/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerAbove(['ui'])] }] },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Fakes stand in for async APIs (fetch, loaders) and are `async` without awaiting anything;
      // forgotten awaits are still caught by no-floating-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
]);
