// Time of each loss, value + gradient (tf.valueAndGrad), on [4, 64, 64, 2] on the cpu backend (or --backend wasm,
// the backend the engine trains on in Node and in most browsers).
// Median of several repetitions after warm-up, interleaved across losses so drift hits all alike;
// printed relative to `ce` measured in the same run. Usage: npx tsx scripts/bench-losses.ts [--reps 15] [--backend wasm]
// The boundary loss gets its distance maps handed in, as in training; their cost is scripts/bench-distance.ts.
import * as tf from '@tensorflow/tfjs';

import { selectBackend } from '../src/engine/backend/backend';

import { batchSignedDistances } from '../src/engine/data/distance';
import { computeLoss, gdlAnalyticGradient, LOSS_IDS } from '../src/engine/losses/index';
import { makeRng, randomOneHot, randomSoftmax } from '../src/engine/losses/testing/fixtures';

const SHAPE = [4, 64, 64, 2];
const WARMUP = 3;
const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const backendArg = process.argv.indexOf('--backend');
  const requested = backendArg > 0 ? process.argv[backendArg + 1] : 'cpu';
  if (requested !== 'cpu' && requested !== 'wasm') throw new Error(`--backend must be cpu or wasm, got '${requested}'`);
  const active = await selectBackend({ requested });
  if (active.active !== requested) throw new Error(`asked for ${requested}, got ${active.active}`);
  const rng = makeRng(2017);
  // ~5% foreground, a softmax-like prediction.
  const yTrue = tf.tensor(Float32Array.from(randomOneHot(rng, SHAPE, 0.05)), SHAPE);
  const yPred = tf.tensor(Float32Array.from(randomSoftmax(rng, SHAPE)), SHAPE);
  const spacings = Array.from({ length: SHAPE[0] }, () => [1, 1]);
  const distance = tf.tensor(batchSignedDistances({ label: yTrue.dataSync(), labelShape: SHAPE, spacings }), SHAPE);

  const cases: Array<[string, () => void]> = LOSS_IDS.map((id) => [
    id,
    () =>
      tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => computeLoss(id, yTrue, x, undefined, { distance }))(yPred);
        value.dataSync();
        grad.dataSync();
      }),
  ]);
  cases.push(['gdl closed-form gradient only', () => tf.tidy(() => void gdlAnalyticGradient(yTrue, yPred).dataSync())]);

  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let rep = -WARMUP; rep < REPS; rep++) {
    for (const [name, fn] of cases) {
      const t0 = performance.now();
      fn();
      const dt = performance.now() - t0;
      if (rep >= 0) times.get(name)!.push(dt);
    }
  }
  const base = median(times.get('ce')!);
  console.log(
    `losses, value + gradient, [${SHAPE}] float32, backend ${tf.getBackend()}, median of ${REPS} after ${WARMUP} warm-up`,
  );
  console.log(`${'loss'.padEnd(32)}${'ms'.padStart(9)}${'x ce'.padStart(8)}`);
  for (const [name] of cases) {
    const m = median(times.get(name)!);
    console.log(`${name.padEnd(32)}${m.toFixed(2).padStart(9)}${(m / base).toFixed(2).padStart(8)}`);
  }
  tf.dispose([yTrue, yPred, distance]);
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
