// Putting a saved experiment back: its curves into the store (cut back to the checkpoint) and, where
// weights were saved, its unfinished runs into the engine at the checkpoint's step.
import type { RunRequest } from '../../engine/api';
import type { EngineClient } from '../../worker/client';
import { DEFAULT_SETTINGS, parseSettings, type Settings, serializeSettings } from '../settings';
import type { RunStore } from '../store';
import { type CheckpointRecord, type ExperimentRecord, runsAtCheckpoint } from './records';

export interface ResumeTarget {
  record: ExperimentRecord;
  checkpoint: CheckpointRecord | null;
  /** Start training again at once (continuing after a fault) rather than waiting paused (reload). */
  autoplay: boolean;
}

export interface ResumeOutcome {
  /** Runs now in the engine, paused at their checkpoint. */
  created: number;
  /** Smallest checkpoint step of those runs (null: nothing could continue). */
  step: number | null;
  /** Runs that could not continue (no weights saved): their curves are shown only. */
  viewOnly: string[];
}

/** The settings that identify an experiment's data and runs (view, hidden controls and backend aside). */
export function experimentQuery(s: Settings): string {
  return serializeSettings({
    ...s,
    view: 'playground',
    hide: [],
    backend: 'auto',
    cols: DEFAULT_SETTINGS.cols,
    metric: DEFAULT_SETTINGS.metric,
  });
}

/** Settings of a saved record, through the URL parser like any link. */
export function recordSettings(rec: Pick<ExperimentRecord, 'query'>): Settings {
  return parseSettings(`?${rec.query}`).settings;
}

export async function applyResume(p: {
  client: EngineClient;
  store: RunStore;
  target: ResumeTarget;
  /** The run requests the current settings make (their ids match the record's runs). */
  requests: RunRequest[];
}): Promise<ResumeOutcome> {
  const { record, checkpoint } = p.target;
  const runs = runsAtCheckpoint(record.runs, checkpoint);
  p.store.restore(runs);
  const toCreate: RunRequest[] = [];
  const viewOnly: string[] = [];
  for (const run of runs) {
    const req = p.requests.find((r) => r.runId === run.id);
    const ck = checkpoint?.runs.find((c) => c.runId === run.id);
    if (run.status !== 'paused') {
      if (run.status === 'stopped' && run.message) viewOnly.push(run.label);
      continue;
    }
    if (!req || !ck) {
      viewOnly.push(run.label);
      continue;
    }
    toCreate.push({
      ...req,
      lr: ck.lr,
      resume: { step: ck.step, lr: ck.lr, weights: ck.weights, optimizer: ck.optimizer, history: run.steps },
    });
  }
  if (toCreate.length === 0) return { created: 0, step: null, viewOnly };
  // The weights move to the engine (detached here): they were read from IndexedDB for this call and are not used again.
  await p.client.call('createRuns', { runs: toCreate });
  const step = Math.min(...toCreate.map((r) => r.resume!.step));
  return { created: toCreate.length, step, viewOnly };
}
