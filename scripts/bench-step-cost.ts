// The step-cost model against real steps: for each network at the playground's patch (batch 4 in 2D, 2 in
// 3D), one run of training steps in Node on a backend, printing the median ms/step, the model's figure
// (src/domain/step-cost.ts), their ratio and the longest single kernel (what the page's heartbeat must allow).
// "x wasm model" is the measured step over the wasm model: on cpu, the figure CPU_SLOWDOWN holds. Usage: npx tsx scripts/bench-step-cost.ts [--backend cpu|wasm] [--network unet2d] [--steps 3]
import * as tf from '@tensorflow/tfjs';
import { phantomShape } from '../src/domain/phantom';
import { NETWORKS } from '../src/domain/networks';
import { stepCostMs, wasmStepMs } from '../src/domain/step-cost';
import { selectBackend } from '../src/engine/backend/backend';
import { Session } from '../src/engine/train/session';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const backend = (arg('backend') ?? 'cpu') as 'cpu' | 'wasm';
const only = arg('network');
const steps = Number(arg('steps') ?? 3);

/** Wraps the engine's dispatch: the longest outermost kernel since the last reset. */
function kernelClock(): { reset: () => void; longest: () => [number, string] } {
  const engine = tf.engine() as unknown as { runKernel: (...a: unknown[]) => unknown };
  const original = engine.runKernel;
  let depth = 0;
  let longest: [number, string] = [0, ''];
  engine.runKernel = function (this: unknown, ...args: unknown[]) {
    if (depth > 0) return original.apply(this, args);
    const t = performance.now();
    depth++;
    try {
      return original.apply(this, args);
    } finally {
      depth--;
      const d = performance.now() - t;
      if (d > longest[0]) longest = [d, String(args[0])];
    }
  };
  return { reset: () => (longest = [0, '']), longest: () => longest };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const report = await selectBackend({ requested: backend });
  if (report.active !== backend) throw new Error(`asked for ${backend}, got ${report.active}`);
  const clock = kernelClock();
  console.log(`backend ${backend}; ${steps} steps per network after 1 warm-up`);
  console.log('network      patch batch   ms/step   model  measured/model  longest kernel');
  for (const n of NETWORKS) {
    if (only && n.id !== only) continue;
    const [patch, batch] = [n.defaultPatchSize, n.dims === 3 ? 2 : 4];
    const session = new Session(() => {});
    const data = { seed: 1, lesion: 'tumour' as const, fraction: 0.005, noise: 0.05, patch, batch, network: n.id };
    await session.prepareData({ ...data, shape: phantomShape(64) });
    await session.createRuns([{ runId: 'r', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: n.id, steps: steps + 1, seed: 1 }]);
    await session.control('step');
    clock.reset();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await session.control('step');
      times.push(performance.now() - t0);
    }
    const [ms, model] = [median(times), stepCostMs({ network: n.id, patch, batch, backend })];
    const [kernelMs, kernel] = clock.longest();
    console.log(
      `${n.id.padEnd(12)} ${String(patch).padStart(5)} ${String(batch).padStart(5)} ${ms.toFixed(0).padStart(9)} ${model.toFixed(0).padStart(7)}` +
        `  ${(ms / model).toFixed(2).padStart(14)}  ${kernelMs.toFixed(0)} ms (${kernel});  x wasm model ${(ms / wasmStepMs({ network: n.id, patch, batch })).toFixed(0)}`,
    );
    await session.disposeRuns();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
