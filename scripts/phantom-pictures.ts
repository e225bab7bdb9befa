// Pictures for docs/phantoms.md: the three modalities (and the label outline) of one axial slice per
// difficulty and lesion kind, and histograms of lesion against tissue intensity per modality.
// Usage: npx tsx scripts/phantom-pictures.ts [--out docs/phantoms --seed 3 --size 96]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIFFICULTY_IDS } from '../src/domain/difficulty';
import { LESION_KINDS, phantomShape } from '../src/domain/phantom';
import { TISSUE } from '../src/engine/data/anatomy';
import { MIMIC } from '../src/engine/data/mimics';
import { generatePhantom, type Phantom } from '../src/engine/data/phantom';
import { DEFAULT_SETTINGS } from '../src/state/settings';
import { encodePng } from './png';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const OUT = arg('out', 'docs/phantoms');
const SEED = Number(arg('seed', '3'));
const SHAPE = phantomShape(Number(arg('size', '96')));
const SCALE = 2;
const FRACTION = { tumour: 0.01, wmh: 0.01, lacunes: 0.001 } as const;

type Rgb = [number, number, number];
class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 3).fill(255);
  }
  set(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(c, 3 * (Math.round(y) * this.width + Math.round(x)));
  }
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let k = 0; k <= n; k++) this.set(x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n, c);
  }
  save(name: string): void {
    writeFileSync(join(OUT, name), encodePng({ width: this.width, height: this.height, channels: 3, pixels: this.pixels }));
    console.log(`wrote ${join(OUT, name)}`);
  }
}

/** The axial slice holding the most lesion voxels. */
function lesionSlice(p: Phantom): number {
  const [nx, ny, nz] = SHAPE;
  let best = Math.floor(nz / 2);
  let most = -1;
  for (let z = 0; z < nz; z++) {
    let n = 0;
    for (let i = z * nx * ny; i < (z + 1) * nx * ny; i++) n += p.label.data[i];
    if (n > most) [best, most] = [z, n];
  }
  return best;
}

/** One modality's slice in grey (0 to the brain's 99.5th percentile), lesion outline in red when asked. */
function drawSlice(c: Canvas, p: Phantom, m: number, z: number, ox: number, oy: number, outline: boolean): void {
  const [nx, ny] = SHAPE;
  const img = p.images[m].data;
  const brain: number[] = [];
  for (let i = 0; i < img.length; i += 7) if (p.brainMask.data[i]) brain.push(img[i]);
  brain.sort((a, b) => a - b);
  const top = brain[Math.floor(0.995 * (brain.length - 1))];
  const lab = p.label.data;
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const i = x + nx * (y + ny * z);
      const g = Math.max(0, Math.min(255, Math.round((255 * img[i]) / top)));
      const edge = outline && lab[i] && [i - 1, i + 1, i - nx, i + nx].some((q) => !lab[q]);
      const colour: Rgb = edge ? [255, 40, 40] : [g, g, g];
      for (let dy = 0; dy < SCALE; dy++)
        for (let dx = 0; dx < SCALE; dx++) c.set(ox + SCALE * x + dx, oy + SCALE * (ny - 1 - y) + dy, colour); // anterior up
    }
}

mkdirSync(OUT, { recursive: true });
const noise = DEFAULT_SETTINGS.noise;
const panel = SHAPE[0] * SCALE;
const phantoms = new Map<string, Phantom>();
for (const difficulty of DIFFICULTY_IDS) {
  const c = new Canvas(4 * panel + 3 * 4, LESION_KINDS.length * panel + (LESION_KINDS.length - 1) * 4);
  LESION_KINDS.forEach((kind, row) => {
    const p = generatePhantom({ seed: SEED, shape: SHAPE, noise, difficulty, lesion: { kind, fraction: FRACTION[kind] } });
    phantoms.set(`${difficulty}-${kind}`, p);
    const z = lesionSlice(p);
    for (let m = 0; m < 4; m++) drawSlice(c, p, Math.min(m, 2), z, m * (panel + 4), row * (panel + 4), m === 3);
  });
  c.save(`slices-${difficulty}.png`);
}

// Histograms: per difficulty and kind, one panel per modality; lesion (red), WM (blue), GM (green),
// mimics (orange, unlabelled), CSF (grey); each curve normalised to its own peak.
const W = 220;
const H = 110;
const BINS = 110;
const CLASSES: { name: string; colour: Rgb; is: (p: Phantom, i: number) => boolean }[] = [
  { name: 'lesion', colour: [220, 30, 30], is: (p, i) => p.label.data[i] === 1 },
  { name: 'WM', colour: [40, 80, 220], is: (p, i) => p.tissue.data[i] === TISSUE.wm && !(p.mimics?.data[i] ?? 0) },
  { name: 'GM', colour: [30, 160, 60], is: (p, i) => p.tissue.data[i] === TISSUE.gm },
  { name: 'mimics', colour: [240, 140, 0], is: (p, i) => (p.mimics?.data[i] ?? MIMIC.none) !== MIMIC.none },
  { name: 'CSF', colour: [130, 130, 130], is: (p, i) => p.tissue.data[i] === TISSUE.csf && p.brainMask.data[i] === 1 },
];
for (const difficulty of DIFFICULTY_IDS) {
  const c = new Canvas(3 * (W + 8), LESION_KINDS.length * (H + 8));
  LESION_KINDS.forEach((kind, row) => {
    const p = phantoms.get(`${difficulty}-${kind}`)!;
    for (let m = 0; m < 3; m++) {
      const img = p.images[m].data;
      let top = 0;
      for (let i = 0; i < img.length; i++) if (p.brainMask.data[i] && img[i] > top) top = img[i];
      const ox = m * (W + 8);
      const oy = row * (H + 8);
      c.line(ox, oy + H, ox + W, oy + H, [0, 0, 0]);
      for (const cls of CLASSES) {
        const h = new Float64Array(BINS);
        for (let i = 0; i < img.length; i++) if (cls.is(p, i)) h[Math.min(BINS - 1, Math.floor((BINS * img[i]) / top))]++;
        const peak = Math.max(...h);
        if (!(peak > 0)) continue;
        for (let b = 1; b < BINS; b++)
          c.line(
            ox + ((b - 1) * W) / BINS,
            oy + H - (H - 4) * (h[b - 1] / peak),
            ox + (b * W) / BINS,
            oy + H - (H - 4) * (h[b] / peak),
            cls.colour,
          );
      }
    }
  });
  c.save(`histograms-${difficulty}.png`);
}
