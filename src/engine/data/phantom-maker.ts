// How a dataset gets its phantoms: here, one after another, or spread over helper threads (the page's
// engine worker hands in a pool of phantom workers). Same inputs, same phantoms either way.
import { generatePhantom, type Phantom, type PhantomInput } from './phantom';

/** Told of each phantom of a request once it is made (in any order), before the whole request is done. */
export type OnPhantom = (index: number, phantom: Phantom) => void;

/** Phantoms of `inputs`, in their order; `onEach` hears of each as it is ready (work on it can start). */
export type PhantomMaker = (inputs: readonly PhantomInput[], onEach?: OnPhantom) => Promise<Phantom[]>;

export const makePhantomsHere: PhantomMaker = async (inputs, onEach) =>
  inputs.map((o, i) => {
    const p = generatePhantom(o);
    onEach?.(i, p);
    return p;
  });

/** A promise with its resolve and reject (one per phantom being made). */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Phantoms kept for reuse hold at most this many voxels in all (~40 bytes each: images, masks, maps). */
const KEEP_VOXELS = 8_000_000;

/**
 * Remembers the phantoms of the last dataset: a new patch, batch or network on the same phantoms
 * (the data settings the phantoms do not depend on) reuses them instead of generating them again.
 * Phantoms still being made count too: a request for what a prefetch is making waits for it.
 */
export function cachedMaker(make: PhantomMaker, keepVoxels = KEEP_VOXELS): PhantomMaker {
  let kept = new Map<string, Promise<Phantom>>();
  return async (inputs, onEach) => {
    const keys = inputs.map((o) => JSON.stringify(o));
    const missing = [...new Map(keys.map((k, i) => [k, inputs[i]] as const))].filter(([k]) => !kept.has(k));
    // One promise per phantom, settled as the maker tells of it (or, at the latest, when it is done).
    const slots = missing.map(() => deferred<Phantom>());
    if (missing.length)
      make(
        missing.map(([, o]) => o),
        (j, p) => slots[j]?.resolve(p),
      ).then(
        (ps) => {
          for (const [j, p] of ps.entries()) slots[j].resolve(p);
        },
        (err) => {
          for (const s of slots) s.reject(err);
        },
      );
    const next = new Map<string, Promise<Phantom>>();
    for (const [j, [k]] of missing.entries()) next.set(k, slots[j].promise);
    for (const k of keys) if (!next.has(k)) next.set(k, kept.get(k) as Promise<Phantom>);
    kept = next;
    if (onEach)
      for (const [i, k] of keys.entries())
        (next.get(k) as Promise<Phantom>).then(
          (p) => onEach(i, p),
          () => undefined, // the await below reports it
        );
    let out: Phantom[];
    try {
      out = await Promise.all(keys.map((k) => next.get(k) as Promise<Phantom>));
    } catch (err) {
      if (kept === next) kept = new Map(); // a failed make is not remembered
      throw err;
    }
    const voxels = [...new Set(out)].reduce((n, p) => n + p.label.data.length, 0);
    if (voxels > keepVoxels && kept === next) kept = new Map();
    return out;
  };
}

/**
 * Holds this thread's share of phantom work while the thread is needed elsewhere (a backend starting:
 * its stages need the thread between them); helper threads go on meanwhile.
 */
export class ThreadGate {
  private held: Promise<unknown> = Promise.resolve();

  hold(busy: Promise<unknown>): void {
    this.held = Promise.allSettled([this.held, busy]);
  }

  /** Resolves once nothing holds the thread (holds added while waiting are waited for too). */
  async free(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.held;
      await seen;
    } while (seen !== this.held);
  }
}
