#!/usr/bin/env node
/**
 * Builds the icon set from build/icon.svg (the one source):
 * - build/icons/<N>x<N>.png (Linux packages take the sizes from this folder),
 * - build/icon.png (1024 px: electron-builder's fallback for every platform),
 * - build/icon.ico (Windows: 16-256 px) and build/icon.icns (macOS),
 * - renderer/public/favicon.svg and favicon.ico (the page icon; the web host and the Electron
 *   window load the renderer from the same files).
 * Run after editing the SVG: `node scripts/make-icons.mjs`. The outputs are committed, so
 * packaging needs neither sharp nor png2icons.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import png2icons from 'png2icons';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = join(root, 'build', 'icon.svg');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

async function png(size) {
  // density scales the SVG's 1024 px canvas so small sizes are rendered, not just shrunk.
  return sharp(svg, { density: Math.max(72, (72 * size) / 1024) * 4 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();
}

mkdirSync(join(root, 'build', 'icons'), { recursive: true });
const pngs = new Map();
for (const size of SIZES) {
  const buf = await png(size);
  pngs.set(size, buf);
  writeFileSync(join(root, 'build', 'icons', `${size}x${size}.png`), buf);
}
writeFileSync(join(root, 'build', 'icon.png'), pngs.get(1024));

// png2icons scales from one large PNG (BICUBIC2: sharp edges at 16-32 px).
const ico = png2icons.createICO(pngs.get(1024), png2icons.BICUBIC2, 0, false, true);
const icns = png2icons.createICNS(pngs.get(1024), png2icons.BICUBIC2, 0);
if (!ico || !icns) throw new Error('png2icons could not build the ICO/ICNS files');
writeFileSync(join(root, 'build', 'icon.ico'), ico);
writeFileSync(join(root, 'build', 'icon.icns'), icns);

mkdirSync(join(root, 'renderer', 'public'), { recursive: true });
copyFileSync(svg, join(root, 'renderer', 'public', 'favicon.svg'));
const favicon = png2icons.createICO(pngs.get(256), png2icons.BICUBIC2, 0, false, true);
writeFileSync(join(root, 'renderer', 'public', 'favicon.ico'), favicon);
console.log(`icons: ${SIZES.join(', ')} px, icon.ico, icon.icns, favicon.svg, favicon.ico`);
