// The sweeps controller, outside React so a sweep keeps being recorded while its tab is hidden:
// starts and steers the engine's sweep, folds 'sweep' events into records and stores them.
import { type ParsedSweepFile, parseSweepFile, toSweepFile } from '../domain/sweep/format';
import { applyProgress, finishedKeys, newSweepRecord } from '../domain/sweep/record';
import type { SweepAction, SweepProgress, SweepRecord, SweepSpec } from '../domain/sweep/types';
import type { EngineClient } from '../worker/client';
import { Observable } from './observable';
import { draftFromPreset, type SweepDraft } from './sweep-draft';
import type { SweepStore } from './sweep-store';

export interface SweepUiState {
  records: SweepRecord[];
  loaded: boolean;
  /** The sweep the engine is training now (null when none). */
  activeId: string | null;
  progress: SweepProgress | null;
  selectedId: string | null;
  draft: SweepDraft;
  error: string | null;
}

const SAVE_EVERY_MS = 5000;

export class SweepController extends Observable<SweepUiState> {
  private baseElapsed = 0;
  private lastSave = 0;
  private client: EngineClient | null = null;
  private detach: () => void = () => {};

  constructor(private readonly store: SweepStore) {
    super({
      records: [],
      loaded: false,
      activeId: null,
      progress: null,
      selectedId: null,
      draft: draftFromPreset('table2'),
      error: null,
    });
    void this.load();
  }

  private get state(): SweepUiState {
    return this.getState();
  }

  /** Follows one engine (a fresh one after a fault); a sweep that ran in the old one is marked interrupted. */
  attach(client: EngineClient | null): void {
    this.detach();
    this.client = client;
    this.detach = client ? client.on('sweep', (p) => this.onProgress(p)) : () => {};
    const active = this.state.records.find((r) => r.id === this.state.activeId);
    if (active && client) {
      const interrupted = { ...active, state: 'interrupted' as const };
      this.upsert(interrupted);
      this.set({ activeId: null, progress: null });
      void this.save(interrupted);
    }
  }

  private engine(): EngineClient {
    if (!this.client) throw new Error('the engine is still starting');
    return this.client;
  }

  get storageKind(): SweepStore['kind'] {
    return this.store.kind;
  }

  private async load(): Promise<void> {
    try {
      const stored = await this.store.list();
      // Records this page started meanwhile win over stored copies.
      const mine = new Set(this.state.records.map((r) => r.id));
      const records = [...this.state.records, ...stored.filter((r) => !mine.has(r.id))];
      this.set({ records, loaded: true, selectedId: this.state.selectedId ?? records[0]?.id ?? null });
      for (const r of stored) if (r.state === 'interrupted') await this.store.save(r);
    } catch (err) {
      this.set({ loaded: true, error: `Saved sweeps could not be read: ${message(err)}` });
    }
  }

  setDraft(draft: SweepDraft): void {
    this.set({ draft });
  }

  select(id: string | null): void {
    this.set({ selectedId: id });
  }

  private upsert(record: SweepRecord): void {
    const rest = this.state.records.filter((r) => r.id !== record.id);
    this.set({ records: [record, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) });
  }

  private async save(record: SweepRecord): Promise<void> {
    this.lastSave = Date.now();
    try {
      await this.store.save(record);
    } catch (err) {
      this.set({ error: `This sweep is not being saved: ${message(err)}` });
    }
  }

  async start(spec: SweepSpec, backend: string): Promise<void> {
    const id = `sweep-${new Date()
      .toISOString()
      .replace(/[^0-9]/g, '')
      .slice(0, 14)}-${Math.floor(Math.random() * 1e6)}`;
    const record = newSweepRecord({ id, spec, backend });
    await this.launch(record, []);
  }

  /** Continues a stored sweep (interrupted, cancelled or failed): only its missing runs train. */
  async resumeStored(id: string, backend: string): Promise<void> {
    const record = this.state.records.find((r) => r.id === id);
    if (!record) return;
    await this.launch({ ...record, state: 'running', backend }, finishedKeys(record));
  }

  private async launch(record: SweepRecord, skip: string[]): Promise<void> {
    if (this.state.activeId) throw new Error('a sweep is already running');
    this.baseElapsed = record.elapsedMs;
    this.upsert(record);
    this.set({ activeId: record.id, selectedId: record.id, progress: null, error: null });
    await this.save(record);
    try {
      await this.engine().call('startSweep', { sweepId: record.id, spec: record.spec, skip });
    } catch (err) {
      const failed = { ...record, state: 'error' as const, message: message(err) };
      this.upsert(failed);
      this.set({ activeId: null, error: `The sweep did not start: ${message(err)}` });
      await this.save(failed);
    }
  }

  async control(action: SweepAction): Promise<void> {
    try {
      await this.engine().call('controlSweep', { action });
    } catch (err) {
      this.set({ error: message(err) });
    }
  }

  private onProgress(p: SweepProgress): void {
    const record = this.state.records.find((r) => r.id === p.sweepId);
    if (!record) return;
    const next = applyProgress({ record, progress: p, baseElapsedMs: this.baseElapsed });
    const ended = p.state === 'done' || p.state === 'cancelled' || p.state === 'error';
    this.upsert(next);
    this.set({ progress: p, ...(ended ? { activeId: null } : {}) });
    const news = p.results.length > 0 || p.groups.length > 0 || p.state !== record.state;
    if (news || Date.now() - this.lastSave > SAVE_EVERY_MS) void this.save(next);
  }

  async remove(id: string): Promise<void> {
    if (id === this.state.activeId) return;
    const records = this.state.records.filter((r) => r.id !== id);
    this.set({ records, selectedId: this.state.selectedId === id ? (records[0]?.id ?? null) : this.state.selectedId });
    try {
      await this.store.remove(id);
    } catch (err) {
      this.set({ error: `Could not delete the saved sweep: ${message(err)}` });
    }
  }

  /** Validates and stores a sweep file; an id already here is imported as a copy. */
  async importText(text: string): Promise<ParsedSweepFile> {
    const parsed = parseSweepFile(text);
    if (!parsed.ok) return parsed;
    let record = parsed.record;
    if (this.state.records.some((r) => r.id === record.id)) record = { ...record, id: `${record.id}-copy${Date.now() % 100000}` };
    this.upsert(record);
    this.select(record.id);
    await this.save(record);
    return { ...parsed, record };
  }

  exportJson(id: string): string | null {
    const record = this.state.records.find((r) => r.id === id);
    return record ? JSON.stringify(toSweepFile({ record }), null, 1) : null;
  }

  dismissError(): void {
    this.set({ error: null });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
