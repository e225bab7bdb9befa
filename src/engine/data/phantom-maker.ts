// How a dataset gets its phantoms: here, one after another, or spread over helper threads (the page's
// engine worker hands in a pool of phantom workers). Same inputs, same phantoms either way.
import { generatePhantom, type Phantom, type PhantomInput } from './phantom';

/** Phantoms of `inputs`, in their order. */
export type PhantomMaker = (inputs: readonly PhantomInput[]) => Promise<Phantom[]>;

export const makePhantomsHere: PhantomMaker = async (inputs) => inputs.map((o) => generatePhantom(o));

/** Phantoms kept for reuse hold at most this many voxels in all (~40 bytes each: images, masks, maps). */
const KEEP_VOXELS = 8_000_000;

/**
 * Remembers the phantoms of the last dataset: a new patch, batch or network on the same phantoms
 * (the data settings the phantoms do not depend on) reuses them instead of generating them again.
 * Phantoms still being made count too: a request for what a prefetch is making waits for it.
 */
export function cachedMaker(make: PhantomMaker, keepVoxels = KEEP_VOXELS): PhantomMaker {
  let kept = new Map<string, Promise<Phantom>>();
  return async (inputs) => {
    const keys = inputs.map((o) => JSON.stringify(o));
    const missing = [...new Map(keys.map((k, i) => [k, inputs[i]] as const))].filter(([k]) => !kept.has(k));
    const made = missing.length ? make(missing.map(([, o]) => o)) : Promise.resolve([]);
    const next = new Map<string, Promise<Phantom>>();
    for (const [j, [k]] of missing.entries())
      next.set(
        k,
        made.then((ps) => ps[j]),
      );
    for (const k of keys) if (!next.has(k)) next.set(k, kept.get(k) as Promise<Phantom>);
    kept = next;
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
