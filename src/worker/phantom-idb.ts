// The phantom store in IndexedDB (the engine worker's): one object store, replaced as a whole, so only the
// last dataset's phantoms (~85 MB for the default three) stay in the browser.
import type { Phantom } from '../engine/data/phantom';
import type { PhantomStore } from '../engine/data/phantom-store';

const DB = 'slp-phantoms';
const STORE = 'phantoms';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/**
 * null where IndexedDB is missing (Node, some private modes). `holdsInput` reads keys only: whether some
 * build stored the phantom of this input (a page helper asks it before making that phantom ahead).
 */
export function indexedDbPhantomStore(): (PhantomStore & { holdsInput(input: unknown): Promise<boolean> }) | null {
  if (typeof indexedDB === 'undefined') return null;
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    return db;
  };
  return {
    async holdsInput(input) {
      const tx = (await open()).transaction(STORE, 'readonly');
      const keys = await request(tx.objectStore(STORE).getAllKeys());
      return keys.some((k) => String(k).endsWith(`|${JSON.stringify(input)}`)); // phantomKey's form
    },
    async get(key) {
      const tx = (await open()).transaction(STORE, 'readonly');
      return (await request(tx.objectStore(STORE).get(key))) as Phantom | undefined;
    },
    async replace(entries) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.clear();
      for (const [key, phantom] of entries) store.put(phantom, key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    },
  };
}
