// Memory over a long run: tensor count, backend buffers, tensor bytes, the wasm heap (tfjs's and our SIMD
// kernels' own memory) and the JS heap
// every 100 steps of the reference network (2D U-Net) at the tiny size, on the wasm backend, with the
// page's schedule (reads every 5 steps, validation and a snapshot every 25) and a checkpoint every 100
// steps (as the page saves them). Steady memory means the numbers at step 1000 equal those at 100.
// Also the peak tensor bytes of one training step (tf.profile), the figure the run estimate is checked against.
// Usage: npx tsx scripts/bench-memory.ts [--steps 1000] [--every 100] [--size 48] [--patch 16] [--batch 2] [--network unet2d]
import { isNetworkKind } from '../src/domain/networks';
import { phantomShape } from '../src/domain/phantom';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import type { EngineEvents } from '../src/engine/api';
import { selectBackend } from '../src/engine/backend/backend';
import { Session } from '../src/engine/train/session';
import { kernelMemoryBytes } from '../src/engine/backend/wasm-simd-heap';
import { backendDataIds, wasmHeapBytes } from '../src/engine/backend/wasm-test-utils';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const STEPS = arg('steps', 1000);
const EVERY = arg('every', 100);
const SIZE = arg('size', 48);
const PATCH = arg('patch', 16);
const BATCH = arg('batch', 2);
const networkArg = process.argv[process.argv.indexOf('--network') + 1];
const NETWORK = process.argv.includes('--network') && isNetworkKind(networkArg) ? networkArg : 'unet2d';

// A full collection before each JS heap reading (otherwise garbage not yet collected reads as growth).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Sample {
  step: number;
  tensors: number;
  dataIds: number;
  tensorMB: number;
  wasmMB: number;
  heapMB: number;
  msPerStep: number;
}

async function main(): Promise<void> {
  const report = await selectBackend({ requested: 'wasm' });
  let lastStep = 0;
  let session: Session | null = null;
  // Pauses at every multiple of EVERY: the emit runs inside the step's read, so the pause lands right after it.
  const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => {
    if (name !== 'steps') return;
    const points = (payload as EngineEvents['steps']).points;
    const step = points[points.length - 1].step;
    if (Math.floor(step / EVERY) > Math.floor(lastStep / EVERY) && step < STEPS) void session!.control('pause');
    lastStep = step;
  };
  session = new Session(emit);
  await session.prepareData({
    seed: 1,
    lesion: 'tumour',
    fraction: 0.005,
    noise: 0.05,
    patch: PATCH,
    batch: BATCH,
    network: NETWORK,
    shape: phantomShape(SIZE),
  });
  await session.createRuns([{ runId: 'gdl', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: NETWORK, steps: STEPS, seed: 1 }]);
  const trainer = session.trainers[0];
  // One step under tf.profile: the most tensor bytes alive at once (weights, Adam state, activations, gradients).
  const t1 = performance.now();
  const profile = await tf.profile(() => session!.control('step'));
  const stepMs = performance.now() - t1;
  console.log(
    `peak: ${NETWORK} patch ${PATCH} batch ${BATCH} peakMB ${(profile.peakBytes / 2 ** 20).toFixed(2)} firstStepMs ${stepMs.toFixed(0)}`,
  );
  const samples: Sample[] = [];
  let t0 = performance.now();
  let s0 = 0;
  while (trainer.step < STEPS) {
    await session.control('play');
    await session.whenIdle();
    while (trainer.status === 'running') await session.whenIdle();
    // What the page does every few seconds; its arrays are dropped at once.
    await session.checkpoint();
    const ms = (performance.now() - t0) / Math.max(1, trainer.step - s0);
    for (let i = 0; i < 3; i++) gc();
    const m = tf.memory();
    samples.push({
      step: trainer.step,
      tensors: m.numTensors,
      dataIds: backendDataIds(),
      tensorMB: m.numBytes / 2 ** 20,
      wasmMB: wasmHeapBytes() === null ? 0 : ((wasmHeapBytes() as number) + kernelMemoryBytes()) / 2 ** 20,
      heapMB: process.memoryUsage().heapUsed / 2 ** 20,
      msPerStep: ms,
    });
    const s = samples[samples.length - 1];
    console.log(
      `step ${String(s.step).padStart(5)}  tensors ${s.tensors}  backend buffers ${s.dataIds}  tensor MB ${s.tensorMB.toFixed(3)}` +
        `  wasm heap MB ${s.wasmMB.toFixed(1)}  JS heap MB ${s.heapMB.toFixed(2)}  ms/step ${s.msPerStep.toFixed(1)}`,
    );
    t0 = performance.now();
    s0 = trainer.step;
  }
  const first = samples.find((s) => s.step >= EVERY) ?? samples[0];
  const last = samples[samples.length - 1];
  console.log(
    `\nbackend ${report.active}; ${NETWORK}, phantom ${SIZE}, patch ${PATCH}, batch ${BATCH}; status ${trainer.status}`,
  );
  console.log(`step ${first.step} -> ${last.step} (ratio last/first):`);
  for (const k of ['tensors', 'dataIds', 'tensorMB', 'wasmMB', 'heapMB'] as const) {
    const ratio = last[k] / first[k];
    console.log(`  ${k.padEnd(9)} ${first[k].toFixed(3)} -> ${last[k].toFixed(3)}  x${ratio.toFixed(4)}`);
  }
  // The trainer keeps every step's scalars (its history): that alone grows the JS heap a little.
  const historyKB = (trainer.history.length * 6 * 8) / 1024;
  console.log(`  (the run's own step history: ${trainer.history.length} points, about ${historyKB.toFixed(0)} KB of numbers)`);
  const steady = last.tensors === first.tensors && last.dataIds === first.dataIds && last.tensorMB === first.tensorMB;
  console.log(steady ? 'tensors: steady (equal counts and bytes)' : 'tensors: NOT steady');
  await session.disposeRuns();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
