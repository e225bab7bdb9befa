// A sweep's stored record: created before it starts, updated by each 'sweep' progress event.
import type { SweepProgress, SweepRecord, SweepSpec } from './types';

export function newSweepRecord(params: { id: string; spec: SweepSpec; backend: string; now?: Date }): SweepRecord {
  const at = (params.now ?? new Date()).toISOString();
  return {
    id: params.id,
    name: params.spec.name,
    createdAt: at,
    updatedAt: at,
    spec: structuredClone(params.spec),
    state: 'running',
    backend: params.backend,
    results: [],
    groups: [],
    elapsedMs: 0,
  };
}

/**
 * The record after a progress event: new runs and groups replace any with the same key (a resumed
 * sweep reruns only missing keys). `baseElapsedMs` is the record's time before this session started.
 */
export function applyProgress(params: {
  record: SweepRecord;
  progress: SweepProgress;
  baseElapsedMs?: number;
  now?: Date;
}): SweepRecord {
  const { record, progress } = params;
  const results = new Map(record.results.map((r) => [r.key, r]));
  for (const r of progress.results) results.set(r.key, r);
  const groups = new Map(record.groups.map((g) => [g.key, g]));
  for (const g of progress.groups) groups.set(g.key, g);
  const next: SweepRecord = {
    ...record,
    state: progress.state,
    results: [...results.values()],
    groups: [...groups.values()],
    elapsedMs: (params.baseElapsedMs ?? 0) + progress.elapsedMs,
    updatedAt: (params.now ?? new Date()).toISOString(),
  };
  if (progress.message) next.message = progress.message;
  else delete next.message;
  return next;
}

/** A record found in storage after a reload: a sweep it says is running died with the old page. */
export function afterReload(record: SweepRecord): SweepRecord {
  return record.state === 'running' || record.state === 'paused' ? { ...record, state: 'interrupted' } : record;
}

/** Keys of the runs that finished (a resumed sweep skips them). */
export function finishedKeys(record: Pick<SweepRecord, 'results'>): string[] {
  return record.results.map((r) => r.key);
}
