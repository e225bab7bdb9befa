// Training-speed measurement of the reference net (2D U-Net, depth 2, 8 base filters; or the 3D U-Net)
// on the active backend: through the engine's Trainer and through a bare tfjs loop, same model, same data.
import * as tf from '@tensorflow/tfjs';
import { computeLoss } from '../losses';
import { createNetwork, trainableVariables } from '../networks';
import type { BackendName } from '../../domain/backends';
import { activeBackend, selectBackend } from './backend';
import type { ArrayBatch, BatchSource } from '../train/source';
import { createToySource } from '../train/toy-source';
import { timingTrainer } from '../train/trainer';

export interface BenchRequest {
  backend: BackendName;
  /** unet2d (default, the reference net) or unet3d (size^3 patches). */
  network?: 'unet2d' | 'unet3d';
  size: number;
  batch: number;
  /** Timed steps at most, and a wall-time budget that may stop earlier (slow backends). */
  steps: number;
  budgetMs: number;
  /** wasm: false runs it single-threaded (threaded vs single-threaded comparison). */
  wasmThreads?: boolean;
  /** Engine steps to run under tf.profile after the timing (0: none): where a step's time goes. */
  profileSteps?: number;
}

/** One kernel's share of a profiled step: wall ms per step (wasm runs kernels synchronously) and calls. */
export interface KernelShare {
  name: string;
  msPerStep: number;
  callsPerStep: number;
  /** A custom-gradient op (tf.customGrad), not a kernel: its time includes its own kernels, listed too. */
  inclusive?: boolean;
}

export interface LoopTiming {
  firstStepMs: number;
  /** Per-step wall times after the first, each ending when the step's loss has been read back. */
  stepsMs: number[];
  median: number;
  min: number;
  max: number;
}

export interface BenchResult {
  backend: string;
  network?: 'unet2d' | 'unet3d';
  available: boolean;
  error?: string;
  size: number;
  batch: number;
  params: number;
  engine?: LoopTiming;
  bare?: LoopTiming;
  /** Engine median / bare median: the engine's overhead. */
  overhead?: number;
  /** Live tensors before the two loops and after them (a leak shows as a difference). */
  tensorsBefore?: number;
  tensorsAfter?: number;
  bytesAfter?: number;
  /** wasm: the module's heap size in bytes. */
  wasmHeap?: number;
  /** wasm: threads XNNPACK really used, and why single-threaded when it was. */
  threads?: number;
  threadsReason?: string;
  /** profileSteps > 0: kernels by time per step, longest first, and the step's wall time under the profiler. */
  kernels?: KernelShare[];
  profiledStepMs?: number;
}

/** Runs `steps` steps under tf.profile and sums each kernel's time by name. */
async function profileKernels(step: () => Promise<void>, steps: number): Promise<{ kernels: KernelShare[]; stepMs: number }> {
  const totals = new Map<string, { ms: number; calls: number }>();
  const t = performance.now();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(step);
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const e = totals.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += ms;
      e.calls += 1;
      totals.set(k.name, e);
    }
  }
  const stepMs = (performance.now() - t) / steps;
  const backend = tf.getBackend();
  const kernels = [...totals].map(([name, e]) => ({
    name,
    msPerStep: e.ms / steps,
    callsPerStep: e.calls / steps,
    // tf.profile names a custom-gradient op after its scope ('unnamed scope'); no kernel has that name.
    ...(tf.getKernel(name, backend) ? {} : { inclusive: true }),
  }));
  return { kernels: kernels.sort((a, b) => b.msPerStep - a.msPerStep), stepMs };
}

function summarise(first: number, steps: number[]): LoopTiming {
  const s = [...steps].sort((a, b) => a - b);
  return {
    firstStepMs: first,
    stepsMs: steps,
    median: s[Math.floor(s.length / 2)] ?? Number.NaN,
    min: s[0],
    max: s[s.length - 1],
  };
}

async function timeLoop(step: () => Promise<void>, req: BenchRequest): Promise<LoopTiming> {
  let t = performance.now();
  await step();
  const first = performance.now() - t;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < req.steps && (times.length < 3 || performance.now() - start < req.budgetMs)) {
    t = performance.now();
    await step();
    times.push(performance.now() - t);
  }
  return summarise(first, times);
}

function wasmHeapBytes(): number | undefined {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.byteLength;
}

export async function runBenchmark(req: BenchRequest): Promise<BenchResult> {
  const network = req.network ?? 'unet2d';
  const base = { backend: req.backend, network, size: req.size, batch: req.batch, params: 0 };
  const report = await selectBackend({ requested: req.backend, order: [req.backend], wasmThreads: req.wasmThreads }).catch(
    (e: Error) => e,
  );
  if (report instanceof Error || activeBackend() !== req.backend) {
    return { ...base, available: false, error: report instanceof Error ? report.message : `got ${activeBackend()}` };
  }
  const dims = network === 'unet3d' ? 3 : 2;
  // One fixed batch, as on PyTorch's side (scripts/bench_torch.py): making a toy batch per step costs
  // ~4% of a step in JS and is not the net's speed.
  const toy = createToySource({ seed: 1, size: req.size, batch: req.batch, channels: 3, dims });
  const fixed = toy.trainBatch(1);
  const source: BatchSource = { ...toy, trainBatch: () => fixed };
  const loss = (y: tf.Tensor, p: tf.Tensor) => computeLoss('gdl', y, p);
  const spec = { kind: network, inChannels: 3, seed: 1 };
  const tensorsBefore = tf.memory().numTensors;

  // Engine path: the Trainer reading back every step, so each step's time is complete.
  const model = createNetwork(spec);
  const params = model.countParams();
  const trainer = timingTrainer({ runId: 'bench', model, source, loss });
  const engine = await timeLoop(() => trainer.advance(), req);
  // Profiled through the engine, as the ms/step figure is (its fused Adam, its per-step Dice).
  const profiled = req.profileSteps ? await profileKernels(() => trainer.advance(), req.profileSteps) : undefined;
  trainer.dispose(); // the trainer owns the model

  // Bare loop: the same model and batches, optimizer.minimize and one read per step.
  const bareModel = createNetwork(spec);
  const opt = tf.train.adam(1e-3);
  const vars = trainableVariables(bareModel);
  let step = 0;
  const toT = (b: ArrayBatch) => ({ x: tf.tensor(b.x, b.xShape), y: tf.tensor(b.y, b.yShape) });
  const bareStep = async () => {
    const batch = source.trainBatch(++step);
    const cost = tf.tidy(() => {
      const { x, y } = toT(batch);
      return opt.minimize(() => loss(y, bareModel.apply(x, { training: true }) as tf.Tensor), true, vars) as tf.Scalar;
    });
    await cost.data();
    cost.dispose();
  };
  const bare = await timeLoop(bareStep, req);
  opt.dispose();
  bareModel.dispose();
  const mem = tf.memory();
  const result: BenchResult = {
    ...base,
    available: true,
    params,
    engine,
    bare,
    overhead: engine.median / bare.median,
    tensorsBefore,
    tensorsAfter: mem.numTensors,
    bytesAfter: mem.numBytes,
    wasmHeap: wasmHeapBytes(),
    threads: report.wasm?.threads,
    threadsReason: report.wasm?.reason,
    kernels: profiled?.kernels,
    profiledStepMs: profiled?.stepMs,
  };
  return result;
}
