// Shared IndexedDB helpers: a small key-value store over one object store, a memory stand-in (tests,
// private windows without IndexedDB) and quota handling. Each feature opens its own database (runs,
// sweeps, imported data), so no two features ever need to agree on a version number.

/** A store of values by string key; every call may reject with StorageFullError. */
export interface KvStore<V> {
  get(key: string): Promise<V | undefined>;
  put(key: string, value: V): Promise<void>;
  delete(key: string): Promise<void>;
  getAll(): Promise<V[]>;
  keys(): Promise<string[]>;
}

/** The browser refused to store more (quota): the way out is to export and delete old data. */
export class StorageFullError extends Error {
  constructor(readonly cause?: unknown) {
    super('Browser storage is full: new data is not being saved. Export and delete old runs in History to make room.');
    this.name = 'StorageFullError';
  }
}

/** QuotaExceededError in every spelling browsers use (Chrome, Firefox, Safari, old code 22). */
export function isQuotaError(err: unknown): boolean {
  if (err instanceof StorageFullError) return true;
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; inner?: unknown };
  if (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  if (e.code === 22 || e.code === 1014) return true;
  return typeof e.message === 'string' && /quota/i.test(e.message);
}

/** Rethrows quota problems as StorageFullError and anything else as an Error with the store named. */
function wrap(err: unknown, what: string): Error {
  if (isQuotaError(err)) return new StorageFullError(err);
  const msg = err instanceof Error ? err.message : String(err ?? 'unknown error');
  return new Error(`${what}: ${msg}`);
}

export function indexedDbAvailable(): boolean {
  return typeof globalThis.indexedDB !== 'undefined' && globalThis.indexedDB !== null;
}

export interface OpenDatabaseParams {
  name: string;
  version: number;
  /** Object stores (out-of-line string keys) created when missing. */
  stores: readonly string[];
}

/** Opens (and creates or upgrades) a database; closes itself when another tab needs a newer version. */
export function openDatabase({ name, version, stores }: OpenDatabaseParams): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (!indexedDbAvailable()) return reject(new Error('IndexedDB is not available in this browser window'));
    let req: IDBOpenDBRequest;
    try {
      req = globalThis.indexedDB.open(name, version);
    } catch (err) {
      return reject(wrap(err, `opening ${name}`));
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const s of stores) if (!db.objectStoreNames.contains(s)) db.createObjectStore(s);
    };
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(wrap(req.error, `opening ${name}`));
    req.onblocked = () => reject(new Error(`opening ${name}: another tab holds an older version open`));
  });
}

/** Runs one request in its own transaction; resolves when the transaction has committed. */
function run<T>(
  dbp: Promise<IDBDatabase>,
  store: string,
  mode: IDBTransactionMode,
  make: (s: IDBObjectStore) => IDBRequest,
): Promise<T> {
  return dbp.then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        let result: T;
        try {
          const tx = db.transaction(store, mode);
          const req = make(tx.objectStore(store));
          req.onsuccess = () => {
            result = req.result as T;
          };
          // Quota errors usually arrive as the transaction's abort, not the request's error.
          tx.oncomplete = () => resolve(result);
          tx.onabort = () => reject(wrap(tx.error ?? req.error, `${mode} ${store}`));
        } catch (err) {
          reject(wrap(err, `${mode} ${store}`));
        }
      }),
  );
}

/** A KvStore over one object store of an open (or opening) database. */
export function idbStore<V>(params: { db: Promise<IDBDatabase>; store: string }): KvStore<V> {
  const { db, store } = params;
  return {
    get: (key) => run<V | undefined>(db, store, 'readonly', (s) => s.get(key)),
    put: (key, value) => run<void>(db, store, 'readwrite', (s) => s.put(value, key)).then(() => undefined),
    delete: (key) => run<void>(db, store, 'readwrite', (s) => s.delete(key)).then(() => undefined),
    getAll: () => run<V[]>(db, store, 'readonly', (s) => s.getAll()),
    keys: () => run<IDBValidKey[]>(db, store, 'readonly', (s) => s.getAllKeys()).then((k) => k.map(String)),
  };
}

/** Rough bytes a value takes when stored (typed arrays by their bytes, strings at 2 bytes a char). */
export function approxBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object') return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (depth > 32) return 0;
  let n = 0;
  if (Array.isArray(value)) for (const v of value) n += approxBytes(v, depth + 1);
  else for (const [k, v] of Object.entries(value)) n += 2 * k.length + approxBytes(v, depth + 1);
  return n;
}

/** In-memory KvStore; quotaBytes simulates a full disk (values are structured-cloned like IndexedDB does). */
export function memoryStore<V>(params: { quotaBytes?: number; shared?: { used: number } } = {}): KvStore<V> {
  const map = new Map<string, V>();
  const sizes = new Map<string, number>();
  const usage = params.shared ?? { used: 0 };
  return {
    async get(key) {
      const v = map.get(key);
      return v === undefined ? undefined : structuredClone(v);
    },
    async put(key, value) {
      const size = approxBytes(value);
      const next = usage.used - (sizes.get(key) ?? 0) + size;
      if (params.quotaBytes !== undefined && next > params.quotaBytes) {
        throw new StorageFullError(new DOMException('memory store quota', 'QuotaExceededError'));
      }
      map.set(key, structuredClone(value));
      sizes.set(key, size);
      usage.used = next;
    },
    async delete(key) {
      usage.used -= sizes.get(key) ?? 0;
      sizes.delete(key);
      map.delete(key);
    },
    getAll: async () => [...map.values()].map((v) => structuredClone(v)),
    keys: async () => [...map.keys()],
  };
}

/** What the browser says this origin uses and may use (null where it cannot say). */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage?.estimate) return null;
  try {
    const e = await storage.estimate();
    return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
  } catch {
    return null;
  }
}
