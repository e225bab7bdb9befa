// The export bar's controller: one export at a time, its outcome in words, and the engine's files
// (a run's model and prediction, the shown volumes). Saving them is the view's (download links).
import type { NamedBytes, PredictionFiles } from '../engine/io/api';
import type { EngineClient } from '../worker/client';
import { Observable } from './observable';

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

  async volumes(): Promise<NamedBytes[]> {
    return (await this.client().call('exportData', {})).files;
  }

  private client(): EngineClient {
    const c = this.engine();
    if (!c) throw new Error('the engine is still starting');
    return c;
  }
}
