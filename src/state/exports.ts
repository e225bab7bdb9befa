// The export bar's controller: one export at a time, its outcome in words, and the engine's files
// (a run's model and prediction, the shown volumes). Saving them is the view's (download links).
import type { ExportProjectResult } from '../engine/export/api';
import type { NamedBytes, PredictionFiles } from '../engine/io/api';
import type { EngineClient } from '../worker/client';
import { Observable } from './observable';
import { buildRunRequests } from './run-requests';
import { serializeSettings, type Settings } from './settings';

export interface ExportsState {
  busy: boolean;
  status: { text: string; error: boolean } | null;
}

export class ExportsController extends Observable<ExportsState> {
  constructor(private readonly engine: () => EngineClient | null) {
    super({ busy: false, status: null });
  }

  /** Runs one export; its sentence (or its error) becomes the status. */
  async run(what: () => Promise<string>): Promise<void> {
    this.set({ busy: true });
    try {
      this.set({ status: { text: await what(), error: false } });
    } catch (err) {
      this.set({ status: { text: err instanceof Error ? err.message : String(err), error: true } });
    } finally {
      this.set({ busy: false });
    }
  }

  model(runId: string): Promise<{ modelJson: string; weights: Uint8Array; weightsName: string }> {
    return this.client().call('exportModel', { runId });
  }

  prediction(runId: string): Promise<PredictionFiles & { step: number }> {
    return this.client().call('exportPrediction', { runId });
  }

  /** "Take it further": the experiment as a PyTorch project zip; `status` says what is being built meanwhile. */
  exportProject(settings: Settings, runs: readonly { id: string; label: string; color: string }[]): Promise<ExportProjectResult> {
    this.set({ status: { text: 'Building the PyTorch project (dataset, weights, code)…', error: false } });
    const shown = new Map(runs.map((r) => [r.id, r]));
    const reqs = buildRunRequests(settings).map((r) => ({
      ...r,
      label: shown.get(r.runId)?.label,
      color: shown.get(r.runId)?.color,
    }));
    const name = `${settings.network}-${reqs.map((r) => r.loss).join('-')}-seed${settings.seed}`;
    return this.client().call('exportProject', {
      name,
      query: serializeSettings({ ...settings, view: 'playground' }),
      runs: reqs,
    });
  }

  async volumes(): Promise<NamedBytes[]> {
    return (await this.client().call('exportData', {})).files;
  }

  private client(): EngineClient {
    const c = this.engine();
    if (!c) throw new Error('the engine is still starting');
    return c;
  }
}
