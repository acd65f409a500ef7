#!/usr/bin/env node
/**
 * Makes sure the native SQLite binding (better-sqlite3) loads under the Node running this script.
 *
 * .npmrc sets ignore-scripts=true (Electron's postinstall download cannot work everywhere), so
 * `npm ci` never builds better-sqlite3's native addon. This script checks whether the addon loads
 * and otherwise runs `npm rebuild better-sqlite3 --ignore-scripts=false`, which tries a prebuilt
 * binary first and then compiles from source with node-gyp (python3, make, a C++ compiler and the
 * Node headers are needed; it takes a minute or two on a small machine).
 *
 * It also rebuilds when the addon was compiled for another ABI (e.g. by electron-builder's
 * install-app-deps for Electron): the tests and the headless runner run under plain Node.
 *
 * `--quiet` prints nothing when the binding already loads (the rebuild itself is always shown,
 * on stderr). Exit 0 when the binding loads (or `--optional` was given and it could not be built: the app
 * then runs with the bar store disabled and says so in its health view); 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const quiet = process.argv.includes('--quiet');

/** Loads the binding in a fresh process (a failed dlopen cannot be retried in this one). */
function probe() {
  const code = `const D=require('better-sqlite3');const d=new D(':memory:');d.prepare('select 1').get();d.close();`;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' });
  if (r.status === 0) return null;
  const text = `${r.stderr ?? ''}`.split('\n').find((l) => /Error|error:/.test(l)) ?? r.stderr ?? 'unknown error';
  return text.trim().slice(0, 300);
}

/** Everything goes to stderr: the headless runner's stdout is NDJSON or CSV. */
function log(line) {
  console.error(`ensure-native: ${line}`);
}

try {
  createRequire(join(root, 'package.json')).resolve('better-sqlite3');
} catch {
  log('better-sqlite3 is not installed (run `npm ci`); the bar store will be disabled.');
  process.exit(optional ? 0 : 1);
}

const why = probe();
if (why === null) {
  if (!quiet) log(`better-sqlite3 loads under Node ${process.version} (ABI ${process.versions.modules}).`);
  process.exit(0);
}

log(`better-sqlite3 does not load under Node ${process.version} (ABI ${process.versions.modules}): ${why}`);
log('rebuilding it for this Node: prebuilt download first, else a from-source build (1-2 minutes)...');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();
const r = spawnSync(npm, ['rebuild', 'better-sqlite3', '--ignore-scripts=false'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
  shell: process.platform === 'win32',
});
const after = probe();
if (r.status === 0 && after === null) {
  log(`rebuilt in ${Math.round((Date.now() - started) / 1000)} s; better-sqlite3 loads now.`);
  process.exit(0);
}
log(`the rebuild failed (${after ?? `npm exited ${r.status}`}).`);
log('needs python3, make and a C++ compiler plus the Node headers; see README "Native modules".');
if (optional) log('continuing: Tickscope runs with the local bar store disabled (shown in the health view).');
process.exit(optional ? 0 : 1);
