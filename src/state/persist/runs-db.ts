// The saved experiments and their checkpoints: list, load, save, rename, delete, export, import.
import { idbStore, indexedDbAvailable, type KvStore, memoryStore, openDatabase } from './db';
import { exportHistory, parseHistoryJson } from './history-json';
import { type CheckpointRecord, cleanText, type ExperimentRecord, newId } from './records';

export const RUNS_DB = { name: 'slp-runs', version: 1, experiments: 'experiments', checkpoints: 'checkpoints' } as const;

export interface ImportSummary {
  ok: boolean;
  message: string;
  imported: number;
  notices: string[];
}

export class RunsDb {
  constructor(
    readonly experiments: KvStore<ExperimentRecord>,
    readonly checkpoints: KvStore<CheckpointRecord>,
    /** False when IndexedDB is missing and records last only as long as the page. */
    readonly durable = true,
  ) {}

  /** Newest first. */
  async list(): Promise<ExperimentRecord[]> {
    const all = await this.experiments.getAll();
    return all.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Promise<ExperimentRecord | undefined> {
    return this.experiments.get(id);
  }

  save(rec: ExperimentRecord): Promise<void> {
    return this.experiments.put(rec.id, rec);
  }

  async rename(id: string, name: string): Promise<void> {
    const rec = await this.experiments.get(id);
    if (!rec) throw new Error('that run is no longer saved');
    const clean = cleanText(name);
    if (!clean) throw new Error('a name cannot be empty');
    await this.experiments.put(id, { ...rec, name: clean });
  }

  async remove(id: string): Promise<void> {
    await this.checkpoints.delete(id);
    await this.experiments.delete(id);
  }

  saveCheckpoint(ck: CheckpointRecord): Promise<void> {
    return this.checkpoints.put(ck.id, ck);
  }

  getCheckpoint(id: string): Promise<CheckpointRecord | undefined> {
    return this.checkpoints.get(id);
  }

  deleteCheckpoint(id: string): Promise<void> {
    return this.checkpoints.delete(id);
  }

  /** JSON of the given experiments (all when ids is absent); weights are not included. */
  async exportJson(ids?: readonly string[]): Promise<string> {
    const all = await this.list();
    return exportHistory(ids ? all.filter((r) => ids.includes(r.id)) : all);
  }

  /** Adds the experiments of a history file; ids already present get fresh ones (nothing is overwritten). */
  async importJson(text: unknown): Promise<ImportSummary> {
    const parsed = parseHistoryJson(text);
    if (!parsed.ok) return { ok: false, message: parsed.message, imported: 0, notices: [] };
    const existing = new Set(await this.experiments.keys());
    for (const rec of parsed.experiments) {
      const id = existing.has(rec.id) ? newId() : rec.id;
      existing.add(id);
      await this.experiments.put(id, { ...rec, id });
    }
    const n = parsed.experiments.length;
    return { ok: true, message: `Imported ${n} saved run${n === 1 ? '' : 's'}.`, imported: n, notices: parsed.notices };
  }
}

/** The page's runs database: IndexedDB, or memory (with durable = false) where IndexedDB is missing. */
export function openRunsDb(): RunsDb {
  if (!indexedDbAvailable()) return new RunsDb(memoryStore(), memoryStore(), false);
  const db = openDatabase({ name: RUNS_DB.name, version: RUNS_DB.version, stores: [RUNS_DB.experiments, RUNS_DB.checkpoints] });
  // An unopened database fails each call with its reason; keep the rejection from going unhandled.
  db.catch(() => undefined);
  return new RunsDb(idbStore({ db, store: RUNS_DB.experiments }), idbStore({ db, store: RUNS_DB.checkpoints }));
}
