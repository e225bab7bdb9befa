// The benchmark page: asks the engine worker to time each backend while the main thread records its
// longest task (the page must stay responsive while the worker trains).
import type { BenchResult } from '../engine/backend/bench';
import { BACKENDS, type BackendName } from '../domain/backends';
import { createEngineClient } from '../worker/client';

interface PageResult extends BenchResult {
  longestTaskMs: number;
  round: number;
}

declare global {
  interface Window {
    benchResults?: PageResult[];
    benchDone?: boolean;
    benchError?: string;
  }
}

const out = document.getElementById('out')!;
const q = new URLSearchParams(location.search);
const backends = (q.get('backends')?.split(',') ?? [...BACKENDS]).filter((b): b is BackendName =>
  (BACKENDS as readonly string[]).includes(b),
);
const sizes = (q.get('sizes') ?? '64,128').split(',').map(Number);
// unet2d: the reference net at `sizes`, batch 4; unet3d: the 3D U-Net at `sizes3d` (cubes), batch 2.
const networks = (q.get('networks') ?? 'unet2d').split(',').filter((n): n is Network => n === 'unet2d' || n === 'unet3d');
const sizes3d = (q.get('sizes3d') ?? '32').split(',').map(Number);
type Network = 'unet2d' | 'unet3d';
// wasm threads: 'both' (multi- and single-threaded, back to back, for the ratio), 'on' or 'off'.
const wasmThreads = q.get('wasmThreads') ?? 'both';
// wasm pairs are repeated this many times, alternating which goes first (load drifts cancel out).
const rounds = Math.max(1, Number(q.get('rounds') ?? 1));
// The first round's index (a load per round, as `npm run bench` does, keeps the alternation going).
const firstRound = Math.max(0, Number(q.get('firstRound') ?? 0));

interface Config {
  backend: BackendName;
  network: Network;
  size: number;
  batch: number;
  /** wasm only: multi-threaded (true) or single-threaded (false). */
  threads?: boolean;
  round: number;
}

function configs(): Config[] {
  const list: Config[] = [];
  const cases = networks.flatMap((network) =>
    (network === 'unet3d' ? sizes3d : sizes).map((size) => ({ network, size, batch: network === 'unet3d' ? 2 : 4 })),
  );
  for (const backend of backends) {
    for (const c of cases) {
      if (backend !== 'wasm') {
        list.push({ backend, ...c, round: firstRound });
        continue;
      }
      const modes = [...(wasmThreads !== 'off' ? [true] : []), ...(wasmThreads !== 'on' ? [false] : [])];
      for (let round = firstRound; round < firstRound + rounds; round++) {
        for (const threads of round % 2 ? [...modes].reverse() : modes) list.push({ backend, ...c, threads, round });
      }
    }
  }
  return list;
}
const steps = Number(q.get('steps') ?? 20);
// Engine steps run under tf.profile after the timing (0: none): per-kernel ms per step.
const profileSteps = Number(q.get('profile') ?? 0);
const budgetMs = Number(q.get('budget') ?? 20_000);

let longest = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
}).observe({ type: 'longtask', buffered: false });

async function main(): Promise<void> {
  const results: PageResult[] = [];
  window.benchResults = results;
  for (const { backend, network, size, batch, threads, round } of configs()) {
    // A fresh worker per configuration: backends and their caches start cold, as for a user.
    const client = createEngineClient();
    longest = 0;
    try {
      const r = await client.call('benchmark', {
        backend,
        network,
        size,
        batch,
        steps,
        budgetMs,
        wasmThreads: threads,
        profileSteps,
      });
      results.push({ ...r, longestTaskMs: longest, round });
    } catch (err) {
      const error = String(err);
      results.push({ backend, network, size, batch, params: 0, available: false, error, longestTaskMs: longest, round });
    } finally {
      client.dispose();
    }
    out.textContent = JSON.stringify(results, (k, v) => (k === 'stepsMs' ? undefined : v), 1);
  }
  window.benchDone = true;
}

main().catch((err) => {
  window.benchError = String(err);
});
