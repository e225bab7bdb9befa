// What the boundary loss costs per batch, apart from the loss itself: the signed distance maps of a batch
// (data/distance.ts) against sampling that batch (sampleBatch, paid by every run), and the loss's value +
// gradient with the maps handed in against cross-entropy's, all in the same run on the cpu backend.
// Shapes: the default 2D patch (64 x 64, batch 3) and a 3D 32^3 patch, batch 2, on a default phantom.
// Usage: npx tsx scripts/bench-distance.ts [--reps 9]
import * as tf from '@tensorflow/tfjs';

import { batchSignedDistances } from '../src/engine/data/distance';
import { type PatchSpec, sampleBatch } from '../src/engine/data/patches';
import { generatePhantom } from '../src/engine/data/phantom';
import { subjectFromPhantom } from '../src/engine/data/subjects';
import { computeLoss } from '../src/engine/losses/index';
import { patchSpacing } from '../src/engine/train/dataset';

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median ms of fn(rep) after two warm-up calls. */
function time(fn: (rep: number) => void): number {
  fn(-1);
  fn(-2);
  const ts: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    fn(r);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function valueAndGrad(id: 'ce' | 'boundary', y: tf.Tensor, p: tf.Tensor, distance?: tf.Tensor): void {
  tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => computeLoss(id, y, x, {}, { step: 50, distance }))(p);
    value.dataSync();
    grad.dataSync();
  });
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  const phantoms = [0, 1].map((i) => generatePhantom({ seed: 1000 + i, lesion: { kind: 'tumour', fraction: 0.005 } }));
  const subjects = phantoms.map((p) => subjectFromPhantom(p));
  const specs: Array<[string, PatchSpec]> = [
    ['2D 64x64, batch 3 (default)', { dims: 2, size: 64, batch: 3, axis: 'axial' }],
    ['3D 32^3, batch 2', { dims: 3, size: 32, batch: 2 }],
  ];
  console.log(`boundary loss per batch, cpu backend, default phantom (tumour 0.5%), median of ${REPS} after 2 warm-ups`);
  console.log(
    `${'patch'.padEnd(30)}${'sample ms'.padStart(11)}${'maps ms'.padStart(10)}${'maps/sample'.padStart(13)}${'ce v+g ms'.padStart(11)}${'bnd v+g ms'.padStart(12)}${'bnd/ce'.padStart(8)}`,
  );
  for (const [name, spec] of specs) {
    const batches = Array.from({ length: REPS + 2 }, (_, k) => sampleBatch({ subjects, spec, seed: 3, step: k + 1 }));
    const sample = time((r) => void sampleBatch({ subjects, spec, seed: 3, step: 100 + r }));
    const maps = (b: (typeof batches)[number]) =>
      batchSignedDistances({
        label: b.label,
        labelShape: b.labelShape,
        spacings: b.patches.map((p) => patchSpacing(spec, subjects[p.subject].spacing)),
      });
    const distance = time((r) => void maps(batches[r + 2]));
    const b = batches[0];
    const y = tf.tensor(b.label as Float32Array, b.labelShape);
    const logits = tf.randomNormal(b.labelShape, 0, 1, 'float32', 7);
    const p = tf.softmax(logits);
    const d = tf.tensor(maps(b), b.labelShape);
    const ce = time(() => valueAndGrad('ce', y, p));
    const bnd = time(() => valueAndGrad('boundary', y, p, d));
    tf.dispose([y, logits, p, d]);
    const ratio = (a: number, c: number) => (a / c).toFixed(2);
    console.log(
      `${name.padEnd(30)}${sample.toFixed(2).padStart(11)}${distance.toFixed(2).padStart(10)}${ratio(distance, sample).padStart(13)}${ce.toFixed(2).padStart(11)}${bnd.toFixed(2).padStart(12)}${ratio(bnd, ce).padStart(8)}`,
    );
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
