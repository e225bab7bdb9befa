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
// wasm threads: 'both' (multi- and single-threaded, back to back, for the ratio), 'on' or 'off'.
const wasmThreads = q.get('wasmThreads') ?? 'both';
// wasm pairs are repeated this many times, alternating which goes first (load drifts cancel out).
const rounds = Math.max(1, Number(q.get('rounds') ?? 1));

interface Config {
  backend: BackendName;
  size: number;
  /** wasm only: multi-threaded (true) or single-threaded (false). */
  threads?: boolean;
  round: number;
}

function configs(): Config[] {
  const list: Config[] = [];
  for (const backend of backends) {
    for (const size of sizes) {
      if (backend !== 'wasm') {
        list.push({ backend, size, round: 0 });
        continue;
      }
      const modes = [...(wasmThreads !== 'off' ? [true] : []), ...(wasmThreads !== 'on' ? [false] : [])];
      for (let round = 0; round < rounds; round++) {
        for (const threads of round % 2 ? [...modes].reverse() : modes) list.push({ backend, size, threads, round });
      }
    }
  }
  return list;
}
const steps = Number(q.get('steps') ?? 20);
const budgetMs = Number(q.get('budget') ?? 20_000);

let longest = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
}).observe({ type: 'longtask', buffered: false });

async function main(): Promise<void> {
  const results: PageResult[] = [];
  window.benchResults = results;
  for (const { backend, size, threads, round } of configs()) {
    // A fresh worker per configuration: backends and their caches start cold, as for a user.
    const client = createEngineClient();
    longest = 0;
    try {
      const r = await client.call('benchmark', { backend, size, batch: 4, steps, budgetMs, wasmThreads: threads });
      results.push({ ...r, longestTaskMs: longest, round });
    } catch (err) {
      const error = String(err);
      results.push({ backend, size, batch: 4, params: 0, available: false, error, longestTaskMs: longest, round });
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
