// Why HighResNet + GDL collapsed at lr 1e-3 (issue #23): per training step, the share of saturated softmax
// outputs (p < 1e-4 or > 1 - 1e-4) and of voxels predicted lesion, for GDL and Dice + CE, with the glorot head
// HighResNet had (the shipped head's kernel times 1 / HIGHRES_HEAD_GAIN) and the head it has now.
// Usage: npx tsx scripts/highres-collapse.ts [--difficulty easy] [--steps 12]
import * as tf from '@tensorflow/tfjs';
import { isDifficulty } from '../src/domain/difficulty';
import { selectBackend } from '../src/engine/backend/backend';
import { generatePhantom } from '../src/engine/data/phantom';
import { subjectFromPhantom } from '../src/engine/data/subjects';
import { computeLoss } from '../src/engine/losses';
import { createNetwork, sizeMultiple } from '../src/engine/networks';
import { HIGHRES_HEAD_GAIN } from '../src/engine/networks/highres';
import { buildDatasetFromSubjects, createDatasetSource } from '../src/engine/train/dataset';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const difficulty = arg('difficulty', 'easy');
if (!isDifficulty(difficulty)) throw new Error(`--difficulty: unknown '${difficulty}'`);
const steps = Number(arg('steps', '12'));

await selectBackend({ requested: 'wasm' });
// The checkpoint's setting: the 128x128x96 tumour phantom at 0.5%, patch 24 x 2, seed 1 (as npm run train builds it).
const subjects = [1000, 1001].map((seed) =>
  subjectFromPhantom(generatePhantom({ seed, difficulty, noise: 0.05, lesion: { kind: 'tumour', fraction: 0.005 } })),
);
const ds = buildDatasetFromSubjects({
  train: subjects,
  validation: [subjects[0]],
  display: { images: [], modalities: [] },
  seed: 1,
  patch: 24,
  batch: 2,
  network: 'highres3d',
});
const source = createDatasetSource(ds, sizeMultiple({ kind: 'highres3d' }));
console.log(`HighResNet, ${difficulty} tumour 0.5%, patch 24 x 2, Adam lr 1e-3: saturated softmax / predicted lesion per step`);
for (const loss of ['gdl', 'dice_ce'] as const) {
  for (const head of ['before', 'now'] as const) {
    const model = createNetwork({ kind: 'highres3d', seed: 1 } as never);
    if (head === 'before') {
      const layer = model.getLayer('head');
      const [kernel, bias] = layer.getWeights();
      layer.setWeights([kernel.div(HIGHRES_HEAD_GAIN), bias]);
    }
    const opt = tf.train.adam(1e-3);
    const cells: string[] = [];
    for (let step = 1; step <= steps; step++) {
      const b = source.trainBatch(step);
      const x = tf.tensor(b.x, b.xShape);
      const y = tf.tensor(b.y, b.yShape);
      let cell = '';
      opt.minimize(() => {
        const p = model.apply(x, { training: true }) as tf.Tensor;
        const lesion = p.slice([0, 0, 0, 0, 1], [-1, -1, -1, -1, 1]);
        const sat = lesion
          .less(1e-4)
          .logicalOr(lesion.greater(1 - 1e-4))
          .mean()
          .dataSync()[0];
        const pred = lesion.greater(0.5).mean().dataSync()[0];
        cell = `${(100 * sat).toFixed(0)}%/${(100 * pred).toFixed(1)}%`;
        return computeLoss(loss, y, p);
      });
      cells.push(cell);
      tf.dispose([x, y]);
    }
    console.log(`${`${loss}, head ${head}`.padEnd(20)} ${cells.join(' ')}`);
    opt.dispose();
    model.dispose();
  }
}
