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
 */
export function cachedMaker(make: PhantomMaker, keepVoxels = KEEP_VOXELS): PhantomMaker {
  let kept = new Map<string, Phantom>();
  return async (inputs) => {
    const keys = inputs.map((o) => JSON.stringify(o));
    const missing = inputs.filter((_, i) => !kept.has(keys[i]));
    const made = missing.length ? await make(missing) : [];
    const next = new Map<string, Phantom>();
    let m = 0;
    const out = keys.map((k) => {
      const p = kept.get(k) ?? made[m++];
      next.set(k, p);
      return p;
    });
    const voxels = out.reduce((n, p) => n + p.label.data.length, 0);
    kept = voxels <= keepVoxels ? next : new Map();
    return out;
  };
}
