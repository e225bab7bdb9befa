// What is saved about an experiment (one run, or a race of runs started together): its settings as a
// query string (parsed again on the way back in, so old records follow today's validation), the runs'
// curves and statuses. Checkpoints (weights) live in their own store: big, and not exported.
import type { RunCheckpoint } from '../../engine/train/checkpoint';
import { isFinished, type RunStatus } from '../../engine/train/events';
import type { RunSummary } from '../store';

export type ExperimentStatus = 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

export interface ExperimentRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** serializeSettings() of the settings it was started with (view excluded). */
  query: string;
  /** Backend the runs trained on (the last one, after a fallback). */
  backend: string;
  status: ExperimentStatus;
  runs: RunSummary[];
  /** Step of the saved checkpoint (the smallest over its runs), null when there is none. */
  checkpointStep: number | null;
}

export interface CheckpointRecord {
  id: string;
  savedAt: number;
  backend: string;
  runs: RunCheckpoint[];
}

type RunProgress = { status: RunStatus; statusStep?: number; steps?: readonly unknown[] };

/** A run's true status: idle with steps behind it (created from a checkpoint, not continued yet) is paused. */
export function runStatus(r: RunProgress): RunStatus {
  return r.status === 'idle' && ((r.statusStep ?? 0) > 0 || (r.steps?.length ?? 0) > 0) ? 'paused' : r.status;
}

/** The experiment's status from its runs' statuses. */
export function experimentStatus(runs: readonly RunProgress[]): ExperimentStatus {
  const statuses = runs.map(runStatus);
  if (statuses.length === 0) return 'idle';
  if (statuses.includes('running')) return 'running';
  if (statuses.some((s) => !isFinished(s))) return statuses.every((s) => s === 'idle') ? 'idle' : 'paused';
  if (statuses.includes('error')) return 'failed';
  if (statuses.includes('stopped')) return 'stopped';
  return 'finished';
}

/** A saved record's true status (records saved before runStatus existed say idle for a restored run). */
export function recordStatus(rec: Pick<ExperimentRecord, 'status' | 'runs'>): ExperimentStatus {
  return rec.status === 'idle' ? experimentStatus(rec.runs) : rec.status;
}

/** A run that may go on from a checkpoint: not finished, or stopped by a fault (status error). */
export function continuable(status: RunStatus): boolean {
  return !isFinished(status) || status === 'error';
}

/** Whether the record could go on training (some run continuable). */
export function canContinue(rec: Pick<ExperimentRecord, 'runs'>): boolean {
  return rec.runs.some((r) => continuable(r.status));
}

/** A default name: losses and date, e.g. "gdl vs wce · 27 Nov 12:05". */
export function defaultName(runs: readonly { label: string }[], at: number): string {
  const labels = runs.map((r) => r.label);
  const what = labels.length > 3 ? `${labels.slice(0, 3).join(', ')} +${labels.length - 3}` : labels.join(' vs ');
  const d = new Date(at);
  const when = d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `${what || 'run'} · ${when}`;
}

/** Text that ends up on the page: control characters become spaces, ends trimmed, length capped. */
export function cleanText(s: string, max = 200): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 32 || c === 127 ? ' ' : ch;
  }
  return out.trim().slice(0, max);
}

/** A fresh id (time-ordered, random tail). */
export function newId(now = Date.now()): string {
  const c = globalThis.crypto;
  const tail = c?.randomUUID ? c.randomUUID().slice(0, 8) : Math.floor(Math.random() * 2 ** 32).toString(16);
  return `${now.toString(36)}-${tail}`;
}

/** A record's runs cut back to a checkpoint's step (points after it will be trained again). */
export function runsAtCheckpoint(runs: readonly RunSummary[], ck: CheckpointRecord | null): RunSummary[] {
  return runs.map((r) => {
    const c = ck?.runs.find((x) => x.runId === r.id);
    if (!continuable(r.status)) return r;
    if (!c) return { ...r, status: 'stopped' as RunStatus, message: 'interrupted before any weights were saved' };
    const at = c.step;
    return {
      ...r,
      status: 'paused' as RunStatus,
      statusStep: at,
      message: undefined,
      steps: r.steps.filter((p) => p.step <= at),
      validation: r.validation.filter((v) => v.step <= at),
      lrChanges: r.lrChanges.filter((v) => v.step <= at),
    };
  });
}
