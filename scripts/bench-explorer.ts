// Loss explorer: time of explorerCurves requests as the page sends them (one loss with its fraction
// sweep; the GDL section), per backend, relative to one valueAndGrad of CE on the same N (the baseline).
// Usage: npx tsx scripts/bench-explorer.ts [cpu|wasm ...]
import * as tf from '@tensorflow/tfjs';

import { explorerCurves } from '../src/engine/explorer';
import { lesionMask, lossAndVoxelGrad, oneHot, probeInput } from '../src/engine/explorer/tensors';
import { syntheticLayout } from '../src/engine/explorer/synthetic';
import { selectBackend } from '../src/engine/backend/backend';

async function median(fn: () => Promise<unknown>, reps: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

async function bench(backend: 'cpu' | 'wasm') {
  await selectBackend({ requested: backend });
  console.log(`\nbackend ${tf.getBackend()}`);
  for (const fraction of [0.01, 1e-4, 1e-5]) {
    const layout = syntheticLayout({ fraction });
    const mask = lesionMask(layout);
    const yTrue = oneHot(mask);
    const p = probeInput({ mask, lesion: 0.3, background: 0.02 });
    const base = await median(async () => {
      const [v, g] = lossAndVoxelGrad({ id: 'ce', yTrue, p, voxel: 0 });
      await g.data();
      tf.dispose([v, g]);
    }, 9);
    tf.dispose([mask, yTrue, p]);
    const rows: [string, () => Promise<unknown>][] = [
      ['probe ce', () => explorerCurves({ losses: [{ id: 'ce' }], fraction })],
      ['probe gdl', () => explorerCurves({ losses: [{ id: 'gdl' }], fraction })],
      ['probe + sweep gdl', () => explorerCurves({ losses: [{ id: 'gdl' }], fraction, sweep: true })],
      ['probe + sweep ss', () => explorerCurves({ losses: [{ id: 'ss' }], fraction, sweep: true })],
      ['gdl section', () => explorerCurves({ losses: [], fraction, gdl: {} })],
    ];
    console.log(`fraction ${fraction}: N = ${layout.voxels}, baseline (one CE valueAndGrad) ${base.toFixed(2)} ms`);
    for (const [name, fn] of rows) {
      const ms = await median(fn, 3);
      console.log(`  ${name.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  (${(ms / base).toFixed(0)} x baseline)`);
    }
  }
}

const requested = process.argv.slice(2);
for (const b of requested.length ? requested : ['wasm', 'cpu']) await bench(b as 'cpu' | 'wasm');
