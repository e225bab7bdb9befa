// npm run bench:kernel-ab [-- --kernel=BatchMatMul --network=unet3d --size=32 --batch=2 --rounds=20]:
// training steps of the reference net on wasm in Node (1 thread), alternating our kernel and stock
// wasm's for one kernel name in the same process (pairs of steps, back to back), and the ratio of the
// medians: how much one of our kernels changes a whole step. Only for kernels stock wasm computes
// correctly (BatchMatMul, Sum, Mean, Tile, Concat, Slice, SplitV, Identity, Cast). For the kernels we
// generate as SIMD code (Conv2DBackpropFilter and Conv3DBackpropFilterV2: the filter gradient; Conv3D
// and Conv3DBackpropInputV2: the 3D conv, one switch for both) the other side is our XNNPACK formulation,
// that kernel turned off.
import * as tf from '@tensorflow/tfjs';

import { selectBackend } from '../src/engine/backend/backend';
import { setSimdConv } from '../src/engine/backend/wasm-conv-simd';
import { setSimdFilterGrad } from '../src/engine/backend/wasm-filter-grad';
import { stockKernel } from '../src/engine/backend/wasm-layout';
import { computeLoss } from '../src/engine/losses';
import { createNetwork } from '../src/engine/networks';
import type { BatchSource } from '../src/engine/train/source';
import { createToySource } from '../src/engine/train/toy-source';
import { timingTrainer } from '../src/engine/train/trainer';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const kernel = args.get('kernel') ?? 'BatchMatMul';
const network = (args.get('network') ?? 'unet3d') as 'unet2d' | 'unet3d';
const size = Number(args.get('size') ?? (network === 'unet3d' ? 32 : 64));
const batch = Number(args.get('batch') ?? (network === 'unet3d' ? 2 : 4));
const rounds = Number(args.get('rounds') ?? 20);
const CORRECT_STOCK = ['BatchMatMul', 'Sum', 'Mean', 'Tile', 'Concat', 'Slice', 'SplitV', 'Identity', 'Cast'];
const SIMD_SWITCHES: Record<string, (on: boolean) => void> = {
  Conv2DBackpropFilter: setSimdFilterGrad,
  Conv3DBackpropFilterV2: setSimdFilterGrad,
  Conv3D: setSimdConv,
  Conv3DBackpropInputV2: setSimdConv,
};
const simdSwitch = kernel in SIMD_SWITCHES ? SIMD_SWITCHES[kernel] : null;
const other = simdSwitch ? 'xnnpack' : 'stock';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if (!CORRECT_STOCK.includes(kernel) && !simdSwitch)
    throw new Error(`--kernel must be one of ${[...CORRECT_STOCK, ...Object.keys(SIMD_SWITCHES)].join(', ')}`);
  await selectBackend({ requested: 'wasm', order: ['wasm'], wasmThreads: false });
  const ours = tf.getKernel(kernel, 'wasm');
  if (!ours) throw new Error(`no wasm kernel ${kernel}`);
  const variants = { ours, stock: simdSwitch ? ours : stockKernel(kernel) };
  // The stock kernel's setup ran when the backend started; re-registering must not run it again.
  const use = (k: tf.KernelConfig, name: 'ours' | 'stock') => {
    if (simdSwitch) return simdSwitch(name === 'ours');
    tf.unregisterKernel(kernel, 'wasm');
    tf.registerKernel({ ...k, setupFunc: undefined });
  };
  const toy = createToySource({ seed: 1, size, batch, channels: 3, dims: network === 'unet3d' ? 3 : 2 });
  const fixed = toy.trainBatch(1);
  const source: BatchSource = { ...toy, trainBatch: () => fixed };
  const model = createNetwork({ kind: network, inChannels: 3, seed: 1 });
  const trainer = timingTrainer({ runId: 'ab', model, source, loss: (y, p) => computeLoss('gdl', y, p) });
  for (let i = 0; i < 5; i++) await trainer.advance();
  const times = { ours: [] as number[], stock: [] as number[] };
  for (let r = 0; r < rounds; r++)
    for (const name of (r % 2 ? ['stock', 'ours'] : ['ours', 'stock']) as (keyof typeof times)[]) {
      use(variants[name], name);
      await trainer.advance(); // the first step after a switch is not timed
      for (let i = 0; i < 2; i++) {
        const t0 = performance.now();
        await trainer.advance();
        times[name].push(performance.now() - t0);
      }
    }
  use(variants.ours, 'ours');
  trainer.dispose();
  const [o, s] = [median(times.ours), median(times.stock)];
  console.log(
    `${kernel}, ${network} ${size} batch ${batch}, ${rounds} rounds: ours ${o.toFixed(2)} ms/step, ${other} ${s.toFixed(2)}: ` +
      `ours/${other} ${(o / s).toFixed(3)}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
