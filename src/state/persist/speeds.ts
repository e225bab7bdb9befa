// How fast each backend trains here, for choosing where to continue after a fault. Measurements are ms per
// step over the step cost the estimate expects on wasm for the same settings (a "slowdown"), so one taken
// on another network or patch still ranks backends; unmeasured backends use the benchmark's slowdowns.
import { formatMs } from '../../domain/estimate';
import { BACKENDS, type BackendName, type GpuKind, isBackendName } from '../../domain/backends';
import { isNetworkKind } from '../../domain/networks';
import { slowdown, wasmStepMs } from '../../domain/step-cost';
import { patchAndBatch } from '../settings';
import { recordSettings } from './resume';
import type { ExperimentRecord } from './records';
import type { MemorySettings } from './faults';

export interface BackendSpeed {
  backend: BackendName;
  msPerStep: number;
  /** True when measured here (this run or a saved one), false when a rough guess. */
  measured: boolean;
}

/** The step cost the estimate expects on wasm: the unit measurements are divided by. */
function wasmCost(s: MemorySettings): number | null {
  return isNetworkKind(s.network) ? wasmStepMs({ network: s.network, patch: s.patch, batch: s.batch }) : null;
}

/** Median of the last points' ms/step over runs (the first steps compile kernels and are slow). */
export function recentMsPerStep(runs: readonly { steps: readonly { msPerStep: number }[] }[], last = 20): number | null {
  const ms = runs.flatMap((r) => r.steps.slice(-last).map((p) => p.msPerStep)).filter((m) => Number.isFinite(m) && m > 0);
  if (ms.length === 0) return null;
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

export class SpeedBook {
  private slowdowns = new Map<BackendName, number[]>();

  /** A measurement: ms/step of runs with these settings on this backend. */
  add(backend: string, settings: MemorySettings, msPerStep: number | null): void {
    const cost = wasmCost(settings);
    if (!isBackendName(backend) || cost === null || msPerStep === null || !(msPerStep > 0)) return;
    const list = this.slowdowns.get(backend) ?? [];
    list.push(msPerStep / cost);
    this.slowdowns.set(backend, list.slice(-20));
  }

  /** Earlier measurements kept in saved runs (each record says its backend, settings and steps). */
  addRecords(records: readonly ExperimentRecord[]): void {
    for (const rec of records) {
      const s = recordSettings(rec);
      this.add(rec.backend, { ...patchAndBatch(s), network: s.network, size: s.size }, recentMsPerStep(rec.runs));
    }
  }

  /**
   * Expected ms/step of each backend for these settings: measured where known, else the benchmark's ratio
   * (`gpu`: the kind of GPU the backend runs on, where the engine said).
   */
  speed(backend: BackendName, settings: MemorySettings, gpu?: GpuKind): BackendSpeed {
    const cost = wasmCost(settings) ?? 50;
    const list = this.slowdowns.get(backend);
    const network = isNetworkKind(settings.network) ? settings.network : 'unet2d';
    if (!list?.length) return { backend, msPerStep: cost * slowdown(backend, network, gpu), measured: false };
    const sorted = [...list].sort((a, b) => a - b);
    return { backend, msPerStep: cost * sorted[Math.floor(sorted.length / 2)], measured: true };
  }

  /** The candidates fastest first (measured or not); ties keep the candidates' order. */
  rank(candidates: readonly BackendName[], settings: MemorySettings): BackendSpeed[] {
    return candidates
      .filter((b) => BACKENDS.includes(b))
      .map((b, i) => ({ s: this.speed(b, settings), i }))
      .sort((a, b) => a.s.msPerStep - b.s.msPerStep || a.i - b.i)
      .map((x) => x.s);
  }
}

/** What to expect from a backend, in a few words: "about 90 ms/step here" or "roughly 3 s/step (not measured here)". */
export function expectText(s: BackendSpeed): string {
  const ms = formatMs(s.msPerStep);
  return s.measured ? `about ${ms}/step here` : `roughly ${ms}/step (not measured here)`;
}
