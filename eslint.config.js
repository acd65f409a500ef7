/**
 * ESLint: typescript-eslint's parser plus the layer rules of README.md ("Code layout").
 *
 * The layers are checked twice, each check doing what it is good at:
 *  - the per-layer tsconfigs (`npm run typecheck`) decide which *globals* a layer sees: no Node
 *    and no DOM in shared/, no Node in renderer/, no DOM in the core;
 *  - this file decides which *imports* a layer may write:
 *    * between our folders, with eslint-plugin-boundaries (it resolves each relative import to
 *      a file and classifies it by folder, so `../../electron/core/x` from the renderer is caught
 *      however deep the importing file is, and a local file named `electron.ts` is not);
 *    * of packages and Node built-ins, with ESLint's own `no-restricted-imports` per folder
 *      (`electron` only in electron/main and electron/preload; no `node:*` in shared/ or renderer/).
 * dependency-cruiser would also do the folder graph, but it reads TypeScript through the
 * `typescript` package's JS API, which TypeScript 7 no longer has; eslint-plugin-boundaries
 * needs no compiler at all.
 *
 * typescript-eslint itself needs TypeScript 6's JS API: see scripts/eslint-typescript6.cjs.
 *
 * No type-aware rules (e.g. @typescript-eslint/no-floating-promises) yet: building the program
 * through TypeScript 6 took the lint from ~11 s to ~30 s of CPU (48 s wall on the shared 2-core
 * machine) and found nothing today. Worth turning on when typescript-eslint runs on TypeScript 7.
 */
import './scripts/eslint-typescript6.cjs';
import { builtinModules } from 'node:module';
import comments from '@eslint-community/eslint-plugin-eslint-comments';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

const SOURCE = ['**/*.{ts,tsx,mts,cts}'];

/** Where each layer lives; a file outside these (root configs, scripts/) is not checked by folder. */
const LAYERS = [
  { type: 'shared', pattern: 'shared/**', partialMatch: false },
  { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
  { type: 'core', pattern: 'electron/core/**', partialMatch: false },
  { type: 'web-host', pattern: 'electron/web-host/**', partialMatch: false },
  { type: 'main', pattern: 'electron/main/**', partialMatch: false },
  { type: 'preload', pattern: 'electron/preload/**', partialMatch: false },
  { type: 'test', pattern: 'test/**', partialMatch: false },
  { type: 'bench', pattern: 'bench/**', partialMatch: false },
];

/** Which of our folders each layer may import from (its own included). */
const MAY_IMPORT = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  core: ['core', 'shared'],
  'web-host': ['web-host', 'core', 'shared'],
  main: ['main', 'core', 'shared'],
  preload: ['preload', 'shared'],
  test: LAYERS.map((l) => l.type),
  bench: LAYERS.map((l) => l.type),
};

/** Node's built-in modules, with or without `node:` (a regex: a glob like `path` would also match `./lib/path`). */
const NODE_BUILTINS = {
  regex: `^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'Node built-ins are not available in this layer (shared/ runs everywhere; renderer/ is a browser page).',
};
const ELECTRON = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron (tests mock it with vi.mock, see test/unit/shell/fake-electron.ts).',
};

export default tseslint.config(
  { ignores: ['.tmp/**', 'node_modules/**', 'out/**', 'dist/**', 'bench/peers/**', 'bench/results/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: SOURCE,
    extends: [tseslint.configs.base],
    plugins: { boundaries, '@eslint-community/eslint-comments': comments },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      'boundaries/elements': LAYERS,
      'boundaries/include': ['shared/**', 'renderer/**', 'electron/**', 'test/**', 'bench/**'],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(MAY_IMPORT).map(([from, to]) => ({
            from: { element: { type: from } },
            allow: { to: { element: { types: { anyOf: to } } } },
          })),
        },
      ],
      // An eslint-disable says which rule and why: `// eslint-disable-line rule -- reason`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      'no-restricted-imports': ['error', { paths: [ELECTRON] }],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['shared/**', 'renderer/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON], patterns: [NODE_BUILTINS] }] },
  },
);
