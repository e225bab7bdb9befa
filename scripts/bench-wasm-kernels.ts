// ms per Adam step of the reference-like U-Net (depth 2, 8 base filters, 64x64, batch 4, 2 classes,
// softmax + CE) on wasm with our training kernels, on wasm with its stock kernels where they run
// (Conv2DBackpropFilter is missing there, so ours is added; stock MaxPoolGrad/Conv3D* are also
// numerically wrong, so that column is speed only), and on cpu. Median after warm-up, ratios in one run.
// Usage: npx tsx scripts/bench-wasm-kernels.ts [--dims 2|3] [--size 64] [--batch 4] [--steps 20]
//        [--cpu-steps 3] [--leak-steps 50] [--profile]
import * as tf from '@tensorflow/tfjs';

import {
  registerWasmTrainingKernels,
  restoreStockWasmKernels,
  WASM_TRAINING_KERNELS,
  wasmTrainingKernelsRegistered,
} from '../src/engine/backend/wasm-kernels';
import { backendDataIds, buildTestUNet, crossEntropy, testBatch, wasmHeapBytes } from '../src/engine/backend/wasm-test-utils';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const DIMS = arg('dims', 2) as 2 | 3;
const SIZE = arg('size', DIMS === 2 ? 64 : 32);
const BATCH = arg('batch', DIMS === 2 ? 4 : 2);
const STEPS = arg('steps', 20);
const CPU_STEPS = arg('cpu-steps', 3);
const WARMUP = 2;
const PROFILE = process.argv.includes('--profile');
const LEAK_STEPS = arg('leak-steps', 50);

interface Variant {
  name: string;
  backend: 'wasm' | 'cpu';
  steps: number;
  setup: () => void;
}

/** Stock wasm, plus only what it needs to run at all (the missing Conv2DBackpropFilter). */
function stockWasm(): void {
  restoreStockWasmKernels();
  const filter = WASM_TRAINING_KERNELS.find((k) => k.kernelName === 'Conv2DBackpropFilter');
  if (filter && !tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.registerKernel(filter);
}

function oursWasm(): void {
  if (wasmTrainingKernelsRegistered()) return;
  // stockWasm added our Conv2DBackpropFilter by hand: drop it so registration records no stock one.
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  registerWasmTrainingKernels();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Runner {
  v: Variant;
  step: () => Promise<number>;
  times: number[];
  first: number;
  loss: number;
  top: string;
  dispose: () => void;
}

async function prepare(v: Variant): Promise<Runner> {
  v.setup();
  await tf.setBackend(v.backend);
  const model = buildTestUNet({ dims: DIMS, size: SIZE, depth: 2, baseFilters: 8, seed: 7 });
  const data = testBatch({ dims: DIMS, size: SIZE, batch: BATCH, seed: 3 });
  const x = tf.tensor(data.x, [...data.shape, 1]);
  const y = tf.tensor(data.y, [...data.shape, 2]);
  const opt = tf.train.adam(1e-3);
  const runner: Runner = {
    v,
    times: [],
    first: 0,
    loss: 0,
    top: '',
    step: async () => {
      const t0 = performance.now();
      const cost = opt.minimize(() => crossEntropy(y, model.predict(x) as tf.Tensor), true) as tf.Scalar;
      runner.loss = (await cost.data())[0];
      cost.dispose();
      return performance.now() - t0;
    },
    dispose: () => {
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    },
  };
  return runner;
}

/** Live tensors (all variants), wasm data buffers and wasm heap. */
async function memoryLine(): Promise<string> {
  await tf.setBackend('wasm');
  const heap = ((wasmHeapBytes() ?? 0) / 2 ** 20).toFixed(1);
  return `${tf.memory().numTensors} tensors, ${backendDataIds()} wasm buffers, wasm heap ${heap} MiB`;
}

/** One step of a runner with its kernels and backend active. */
async function stepOnce(r: Runner, index: number): Promise<void> {
  r.v.setup();
  await tf.setBackend(r.v.backend);
  const ms = await r.step();
  if (index === 0) r.first = ms;
  if (index >= WARMUP) r.times.push(ms);
}

async function profile(r: Runner): Promise<void> {
  r.v.setup();
  await tf.setBackend(r.v.backend);
  const info = await tf.profile(() => r.step());
  const byKernel = new Map<string, number>();
  for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  r.top = [...byKernel]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
    .join(', ');
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
  const params = buildTestUNet({ dims: DIMS, size: SIZE, depth: 2, baseFilters: 8 });
  const count = params.countParams();
  params.dispose();
  console.log(`${DIMS}D U-Net depth 2, 8 base filters (${count} params), ${SIZE}^${DIMS}, batch ${BATCH}, Adam`);
  const variants: Variant[] = [
    { name: 'wasm + our kernels', backend: 'wasm', steps: STEPS, setup: oursWasm },
    { name: 'wasm stock (speed only)', backend: 'wasm', steps: STEPS, setup: stockWasm },
    { name: 'cpu', backend: 'cpu', steps: CPU_STEPS, setup: oursWasm },
  ];
  const runners: Runner[] = [];
  for (const v of variants) runners.push(await prepare(v));
  // Round-robin, one step each, so load changes on the machine hit every variant alike.
  let afterWarmup = '';
  for (let i = 0; i < WARMUP + STEPS; i++) {
    for (const r of runners) if (i < WARMUP + r.v.steps) await stepOnce(r, i);
    if (i === WARMUP - 1) afterWarmup = await memoryLine();
  }
  const atEnd = await memoryLine();
  if (PROFILE) for (const r of runners) if (r.v.backend === 'wasm') await profile(r);
  const results = runners.map((r) => ({
    name: r.v.name,
    median: median(r.times),
    min: Math.min(...r.times),
    max: Math.max(...r.times),
    first: r.first,
    loss: r.loss,
    top: r.top,
  }));
  // Leak check of our kernels alone (the stock variant's own allocations would blur the heap figure).
  for (const r of runners.slice(1)) r.dispose();
  const aloneBefore = await memoryLine();
  for (let i = 0; i < LEAK_STEPS; i++) await stepOnce(runners[0], 1);
  const aloneAfter = await memoryLine();
  runners[0].dispose();
  const base = results[0].median;
  console.log(`${WARMUP} warm-up steps, then ${STEPS} timed (cpu: ${CPU_STEPS}), variants interleaved step by step`);
  console.log('variant                  | ms/step median (min-max) | first step | x ours | last loss');
  for (const r of results) {
    const cells = [
      r.name.padEnd(24),
      `${r.median.toFixed(1)} (${r.min.toFixed(1)}-${r.max.toFixed(1)})`.padStart(24),
      `${r.first.toFixed(0)} ms`.padStart(10),
      `${(r.median / base).toFixed(1)}x`.padStart(6),
      r.loss.toFixed(4).padStart(10),
    ];
    console.log(cells.join(' | '));
  }
  console.log(`memory after warm-up: ${afterWarmup}`);
  console.log(`memory after all steps: ${atEnd}`);
  console.log(`wasm + our kernels alone: ${aloneBefore} -> after ${LEAK_STEPS} more steps: ${aloneAfter}`);
  for (const r of results) if (r.top) console.log(`top kernels, one step, ${r.name}: ${r.top}`);
  oursWasm();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
