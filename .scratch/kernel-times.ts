// One training step per network on a backend: step ms, the longest single kernel, and estimateRun's figure.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/engine/backend/backend';
import { Session } from '../src/engine/train/session';
import { phantomShape } from '../src/domain/phantom';
import { estimateRun } from '../src/domain/estimate';
import { NETWORKS } from '../src/domain/networks';

const backend = (process.argv[2] ?? 'cpu') as 'cpu' | 'wasm';
const only = process.argv[3];
async function main() {
  await selectBackend({ requested: backend });
  const engine = tf.engine() as unknown as { runKernel: (...a: unknown[]) => unknown };
  const orig = engine.runKernel;
  let depth = 0;
  let longest = 0;
  let longestName = '';
  engine.runKernel = function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    depth++;
    try { return orig.apply(this, args); } finally {
      depth--;
      const d = performance.now() - t;
      if (depth === 0 && d > longest) { longest = d; longestName = String(args[0]); }
    }
  };
  for (const n of NETWORKS) {
    if (only && n.id !== only) continue;
    const patch = n.defaultPatchSize;
    const batch = n.dims === 3 ? 2 : 4;
    const session = new Session(() => {});
    await session.prepareData({ seed: 1, lesion: 'tumour', fraction: 0.005, noise: 0.05, patch, batch, network: n.id, shape: phantomShape(64) });
    await session.createRuns([{ runId: 'gdl', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: n.id, steps: 10, seed: 1 }]);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      longest = 0;
      const t0 = performance.now();
      await session.control('step');
      times.push(performance.now() - t0);
    }
    const est = estimateRun({ network: n.id, patch, batch, runs: 1, steps: 10, size: 64, backend });
    console.log(`${backend} ${n.id} patch ${patch} batch ${batch}: step ms ${times.map((t) => t.toFixed(0)).join(' ')}; longest kernel ${longest.toFixed(0)} ms (${longestName}); estimate ${est.msPerStep.toFixed(0)} ms`);
    await session.disposeRuns();
  }
}
main();
