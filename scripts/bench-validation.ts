// What the challenge metrics add to one validation, at the page's default phantom (128x128x96, tumour
// 0.5%, 2D U-Net, 6 validation slices) and at a 3D slab (HighResNet): the metrics alone against the tf
// part alone (forward, device counts, the argmax read), and the whole validate(), medians in the same run.
// On a shared machine the metrics-alone figure is the stable one; whole - tf part is within the noise.
// Usage: npx tsx scripts/bench-validation.ts [--reps 7] [--backend wasm]
import * as tf from '@tensorflow/tfjs';
import { phantomShape } from '../src/domain/phantom';
import { sizeMultiple } from '../src/domain/network-spec';
import { selectBackend } from '../src/engine/backend/backend';
import { createNetwork, type NetworkKind } from '../src/engine/networks';
import { buildDataset, createDatasetSource } from '../src/engine/train/dataset';
import { hardOverlapCounts } from '../src/engine/train/dice-stats';
import { Trainer } from '../src/engine/train/trainer';
import { batchMetrics } from '../src/engine/train/validation-metrics';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REPS = Number(arg('--reps', '7'));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (kernels, JIT)
  const ms: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function bench(network: NetworkKind, patch: number): Promise<void> {
  const ds = buildDataset({
    seed: 1,
    lesion: 'tumour',
    fraction: 0.005,
    noise: 0.05,
    patch,
    batch: 1,
    network,
    shape: phantomShape(128),
  });
  const source = createDatasetSource(ds, sizeMultiple({ kind: network }));
  const model = createNetwork({ kind: network, inChannels: ds.train[0].channels.length, numClasses: 2, seed: 1 });
  const trainer = new Trainer({ runId: 'b', model, source, loss: () => tf.scalar(0), lr: 1e-3, steps: 1, emit: () => {} });
  const batches = source.validationBatches();
  // The tf part alone: what validate() did before the metrics (forward, counts) plus the byte-per-voxel read.
  const tfOnly = await timeMs(async () => {
    for (const b of batches) {
      const [c, fg] = tf.tidy(() => {
        const pred = model.apply(tf.tensor(b.x, b.xShape), { training: false }) as tf.Tensor;
        return [hardOverlapCounts(tf.tensor(b.y, b.yShape), pred), tf.notEqual(tf.argMax(pred, -1), 0)];
      });
      await Promise.all([c.data(), fg.data()]);
      tf.dispose([c, fg]);
    }
  });
  const whole = await timeMs(() => trainer.validate());
  // The metrics alone, on a plausible prediction: the reference itself shifted by one voxel.
  const metricsOnly = await timeMs(async () => {
    for (const b of batches) {
      const fg = new Uint8Array(b.y.length / 2);
      for (let v = 1; v < fg.length; v++) fg[v] = b.y[(v - 1) * 2 + 1] > 0.5 ? 1 : 0;
      batchMetrics({ batch: b, predictedFg: fg });
    }
  });
  const shape = batches[0].xShape.join('x');
  console.log(
    `${network.padEnd(10)} batch ${shape.padEnd(16)} tf part ${tfOnly.toFixed(1).padStart(7)} ms | validate() ${whole.toFixed(1).padStart(7)} ms | metrics alone ${metricsOnly.toFixed(1).padStart(6)} ms | metrics / tf part ${((100 * metricsOnly) / tfOnly).toFixed(0)}%`,
  );
  trainer.dispose();
}

async function main(): Promise<void> {
  await selectBackend({ requested: arg('--backend', 'wasm') as 'wasm' });
  console.log(`backend ${tf.getBackend()}, medians of ${REPS} after a warm-up`);
  await bench('unet2d', 64);
  await bench('highres3d', 32);
}

main();
