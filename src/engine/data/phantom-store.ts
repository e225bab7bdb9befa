// Phantoms kept across visits: the last dataset's phantoms are stored (by their inputs and the build that
// made them) and read back on the next visit instead of being generated again (~0.5 s of CPU each).
import type { Phantom } from './phantom';
import type { PhantomMaker } from './phantom-maker';

/** Where phantoms are kept: one dataset at a time (put replaces what was there). */
export interface PhantomStore {
  get(key: string): Promise<Phantom | undefined>;
  /** Replaces the stored phantoms with these. */
  replace(entries: [string, Phantom][]): Promise<void>;
}

export interface StoredMakerOptions {
  /** Identifies the generator (the build): phantoms of another version are never read. */
  version: string;
  /** Runs the write later (default: after 2 s), off the path to Train. */
  later?: (write: () => void) => void;
  /** Told how many phantoms came from the store and how many were made. */
  onResult?: (r: { stored: number; made: number }) => void;
}

export const phantomKey = (version: string, input: unknown) => `${version}|${JSON.stringify(input)}`;

/** `make` with the store in front: stored phantoms are read back; a dataset made anew is stored after. */
export function storedMaker(make: PhantomMaker, store: PhantomStore, o: StoredMakerOptions): PhantomMaker {
  const later = o.later ?? ((write: () => void) => setTimeout(write, 2000));
  return async (inputs, onEach) => {
    const keys = inputs.map((input) => phantomKey(o.version, input));
    // A store that fails (private mode, quota, a corrupt entry) is only a missed shortcut.
    const found = await Promise.all(keys.map((k) => store.get(k).catch(() => undefined)));
    for (const [i, f] of found.entries()) if (f) onEach?.(i, f);
    const at = inputs.map((_, i) => i).filter((i) => !found[i]);
    const missing = at.map((i) => inputs[i]);
    const made = missing.length ? await make(missing, onEach && ((j, p) => onEach(at[j], p))) : [];
    let m = 0;
    const out = found.map((f) => f ?? made[m++]);
    o.onResult?.({ stored: inputs.length - missing.length, made: missing.length });
    if (missing.length) later(() => void store.replace(keys.map((k, i) => [k, out[i]])).catch(() => undefined));
    return out;
  };
}

/** A store in memory, for tests (where IndexedDB is missing the worker keeps no store at all). */
export function memoryPhantomStore(): PhantomStore & { keys(): string[] } {
  let kept = new Map<string, Phantom>();
  return {
    get: async (key) => kept.get(key),
    replace: async (entries) => {
      kept = new Map(entries);
    },
    keys: () => [...kept.keys()],
  };
}
