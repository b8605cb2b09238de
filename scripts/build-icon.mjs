// `npm run icon`: draws media/icon.png, the extension's 256x256 marketplace and Extensions-view icon, from the
// activity-bar glyph media/generators.svg (the marketplace takes PNG only). The glyph's paths are drawn white on a
// rounded square and rendered by sharp (libvips, already installed for the local models), so no tool is downloaded.
// The PNG is committed; run this again after changing the glyph.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

const SIZE = 256;
const glyph = readFileSync('media/generators.svg', 'utf8');
const paths = [...glyph.matchAll(/<path [^>]*\/>/g)].map((match) => match[0]).join('');
if (!paths) throw new Error('media/generators.svg has no <path/> elements to draw.');

// The glyph's 24-unit box, scaled to 60% of the icon and centred on a blue-violet gradient.
const scale = (SIZE * 0.6) / 24;
const offset = (SIZE - 24 * scale) / 2;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#3b5bdb"/><stop offset="1" stop-color="#7048e8"/>
  </linearGradient></defs>
  <rect width="${SIZE}" height="${SIZE}" rx="${SIZE * 0.18}" fill="url(#bg)"/>
  <g transform="translate(${offset} ${offset}) scale(${scale})" fill="none" stroke="#ffffff" stroke-width="1.5"
     stroke-linecap="round" stroke-linejoin="round">${paths}</g>
</svg>`;

const info = await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile('media/icon.png');
console.log(`media/icon.png: ${info.width}x${info.height}, ${info.size} bytes`);
