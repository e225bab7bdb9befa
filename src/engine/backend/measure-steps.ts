// Times the page's network on each candidate backend: a warm-up step, then a few timed steps, through
// the engine's Trainer on a toy batch. A candidate whose warm-up outlasts `bound` times the best total
// so far is abandoned (its step may still finish in the background; it is freed then).
import type { BackendName } from '../../domain/backends';
import { measuredPatch } from '../../domain/network-spec';
import { type NetworkKind, networkInfo } from '../../domain/networks';
import { createRng } from '../data/rng';
import { computeLoss } from '../losses';
import { createNetwork } from '../networks';
import type { ArrayBatch, BatchSource } from '../train/source';
import { type Trainer, timingTrainer } from '../train/trainer';
import type { MeasuredBackend } from './backend';

export const MEASURE_DEFAULTS = {
  timedSteps: 3,
  /** A warm-up past this multiple of the best total so far stops that candidate. */
  bound: 10,
  /** The phantom's modalities (the page's nets take 3 channels). */
  channels: 3,
};

export interface MeasureParams {
  candidates: readonly BackendName[];
  network: NetworkKind;
  batch: number;
  /** Patch side; default: the network's default patch (snapped to its size rule). */
  patch?: number;
  timedSteps?: number;
  bound?: number;
  /** Makes `name` the active backend (throws when it cannot). */
  activate: (name: BackendName) => Promise<void>;
}

/** The measurement's batch: bright cubes (or squares) on noise, the page's shape, seeded. */
function toyBatch(p: { dims: 2 | 3; side: number; batch: number; channels: number; seed: number }): ArrayBatch {
  const rng = createRng(p.seed);
  const spatial = Array<number>(p.dims).fill(p.side);
  const voxels = p.side ** p.dims;
  const x = new Float32Array(p.batch * voxels * p.channels);
  const y = new Float32Array(p.batch * voxels * 2);
  const lo = p.side >> 2;
  const hi = lo + (p.side >> 1);
  for (let v = 0; v < p.batch * voxels; v++) {
    const i = v % voxels;
    const coords = [i % p.side, Math.floor(i / p.side) % p.side, Math.floor(i / p.side ** 2)].slice(0, p.dims);
    const fg = coords.every((c) => c >= lo && c < hi) ? 1 : 0;
    for (let c = 0; c < p.channels; c++) x[v * p.channels + c] = fg * 2 - 1 + 0.3 * rng.normal();
    y[v * 2] = 1 - fg;
    y[v * 2 + 1] = fg;
  }
  return { x, xShape: [p.batch, ...spatial, p.channels], y, yShape: [p.batch, ...spatial, 2] };
}

function toySource(network: NetworkKind, side: number, batch: number): BatchSource {
  const b = toyBatch({ dims: networkInfo(network).dims, side, batch, channels: MEASURE_DEFAULTS.channels, seed: 7 });
  return { numClasses: 2, trainBatch: () => b, validationBatches: () => [], snapshotInput: () => null };
}

type Raced<T> = { done: true; value: T } | { done: false };

function within<T>(p: Promise<T>, ms: number): Promise<Raced<T>> {
  if (!Number.isFinite(ms)) return p.then((value) => ({ done: true, value }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  return Promise.race([p.then((value) => ({ done: true as const, value })), late]).finally(() => clearTimeout(timer));
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Each candidate in turn: activated, warmed up, timed; one entry per candidate, in order. */
export async function measureCandidates(p: MeasureParams): Promise<MeasuredBackend[]> {
  const timedSteps = p.timedSteps ?? MEASURE_DEFAULTS.timedSteps;
  const bound = p.bound ?? MEASURE_DEFAULTS.bound;
  const side = measuredPatch(p.network, p.patch);
  const out: MeasuredBackend[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const name of p.candidates) {
    let trainer: Trainer | null = null;
    try {
      await p.activate(name);
      const model = createNetwork({ kind: p.network, inChannels: MEASURE_DEFAULTS.channels, seed: 1 });
      trainer = timingTrainer({
        runId: `measure-${name}`,
        model,
        source: toySource(p.network, side, p.batch),
        loss: (yTrue, yPred) => computeLoss('gdl', yTrue, yPred),
      });
      const t0 = performance.now();
      const limit = bound * best;
      const warm = trainer.advance();
      // A step's synchronous part (cpu kernels, shader compiles) cannot be cut short: it is checked after.
      const raced = await within(warm, Math.max(0, limit - (performance.now() - t0)));
      const warmupMs = performance.now() - t0;
      if (!raced.done || warmupMs > limit) {
        if (!raced.done) {
          const abandoned = trainer;
          trainer = null;
          // Still in flight: free its weights once it ends.
          void warm.finally(() => abandoned.dispose()).catch(() => undefined);
        }
        const took = raced.done ? `took ${Math.round(warmupMs)} ms` : `still running at ${Math.round(limit)} ms`;
        out.push({ name, skipped: `stopped: warm-up ${took}, past ${bound}x the best total so far (${Math.round(best)} ms)` });
        continue;
      }
      const times: number[] = [];
      for (let i = 0; i < timedSteps; i++) {
        const t = performance.now();
        await trainer.advance();
        times.push(performance.now() - t);
      }
      const sorted = [...times].sort((a, b) => a - b);
      best = Math.min(best, warmupMs + times.reduce((a, b) => a + b, 0));
      out.push({ name, msPerStep: round(sorted[Math.floor(sorted.length / 2)]), warmupMs: round(warmupMs) });
    } catch (err) {
      out.push({ name, error: err instanceof Error ? err.message : String(err) });
    } finally {
      trainer?.dispose();
    }
  }
  return out;
}

/** The candidate with the lowest ms/step (null when none was timed). */
export function fastest(measured: readonly MeasuredBackend[]): BackendName | null {
  let win: MeasuredBackend | null = null;
  for (const m of measured) if (m.msPerStep !== undefined && (!win || m.msPerStep < (win.msPerStep ?? Infinity))) win = m;
  return win?.name ?? null;
}
