// Sweeps survive reloads: one IndexedDB database of sweep records (a memory stand-in where there is
// no IndexedDB). A record that was running when its page closed comes back 'interrupted'.
import { afterReload } from '../domain/sweep/record';
import type { SweepRecord } from '../domain/sweep/types';
import { idbStore, indexedDbAvailable, type KvStore, memoryStore, openDatabase } from './persist/db';

export const SWEEPS_DB = { name: 'slp-sweeps', version: 1, store: 'sweeps' } as const;

export interface SweepStore {
  /** Newest first; running records of a closed page come back interrupted. */
  list(): Promise<SweepRecord[]>;
  save(record: SweepRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /** Where records live: 'indexeddb', or 'memory' (lost on reload) where IndexedDB is missing. */
  readonly kind: 'indexeddb' | 'memory';
}

export function createSweepStore(params: { kv?: KvStore<SweepRecord> } = {}): SweepStore {
  const useIdb = !params.kv && indexedDbAvailable();
  const kv =
    params.kv ??
    (useIdb
      ? idbStore<SweepRecord>({
          db: openDatabase({ name: SWEEPS_DB.name, version: SWEEPS_DB.version, stores: [SWEEPS_DB.store] }),
          store: SWEEPS_DB.store,
        })
      : memoryStore<SweepRecord>());
  return {
    kind: useIdb ? 'indexeddb' : 'memory',
    async list() {
      const all = await kv.getAll();
      // Anything that is not a record (hand-edited storage) is skipped, not fatal.
      const records = all.filter((r) => r && typeof r.id === 'string' && r.spec && Array.isArray(r.results)).map(afterReload);
      return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    save: (record) => kv.put(record.id, record),
    remove: (id) => kv.delete(id),
  };
}
