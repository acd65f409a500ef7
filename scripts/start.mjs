#!/usr/bin/env node
/**
 * `npm start`: build, make sure the Electron binary is there, launch it.
 * Electron downloads its binary on first run from its release host. Where that host cannot be
 * reached, this says so in one line and names the browser alternative, instead of a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json', { paths: [root] }));

function electronBinary() {
  try {
    const rel = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const bin = join(electronDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) {
  console.error('tickscope: the build failed (see above).');
  process.exit(build.status ?? 1);
}

let bin = electronBinary();
if (!bin) {
  // First run: fetch the binary (npm install skips Electron's own download step, see .npmrc).
  console.error('tickscope: downloading the Electron binary (first run only)...');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'ignore', timeout: 180_000 });
  bin = electronBinary();
}
if (!bin) {
  console.error(
    'tickscope: the Electron binary is not installed and could not be downloaded here; run `npm run serve` to use Tickscope in your browser instead.',
  );
  process.exit(1);
}

const child = spawn(bin, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
