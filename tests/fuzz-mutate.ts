// Mutations for the fuzz tests: bytes of a binary file (NIfTI), values and text of a JSON document, and
// the history file they start from. Seeded, so a failing case number is the same on every machine.
import type { Rng } from '../src/engine/data/rng';
import { createRng } from '../src/engine/data/rng';
import { exportHistory } from '../src/state/persist/history-json';
import type { ExperimentRecord } from '../src/state/persist/records';

export function mutateBytes(src: Uint8Array, rng: Rng, headerBytes = 352): Uint8Array {
  let b = src.slice();
  for (let s = 1 + rng.int(3); s > 0; s--) {
    const op = rng.int(6);
    if (op === 0 && b.length) b[rng.int(Math.min(b.length, headerBytes))] = rng.int(256);
    else if (op === 1 && b.length) b[rng.int(b.length)] ^= 1 << rng.int(8);
    else if (op === 2) b = b.slice(0, rng.int(b.length + 1));
    else if (op === 3 && b.length > 8) {
      // An extreme int32 or float32 somewhere in the header.
      const at = 4 * rng.int(Math.min(b.length, headerBytes) / 4 - 1);
      const v = [0, -1, 2 ** 31 - 1, -(2 ** 31), 65535, 1e30, Number.NaN][rng.int(7)];
      const view = new DataView(b.buffer);
      if (rng.next() < 0.5) view.setInt32(at, v, true);
      else view.setFloat32(at, v, true);
    } else if (op === 4) {
      const extra = Uint8Array.from({ length: rng.int(40) }, () => rng.int(256));
      const grown = new Uint8Array(b.length + extra.length);
      grown.set(b);
      grown.set(extra, b.length);
      b = grown;
    } else if (b.length) {
      const start = rng.int(b.length);
      b.fill(rng.int(256), start, Math.min(b.length, start + 1 + rng.int(24)));
    }
  }
  return b;
}

const NASTY: unknown[] = [
  null,
  -1,
  0,
  1e308,
  -1e-308,
  '',
  'x'.repeat(5000),
  '<img src=x onerror=alert(1)>',
  [],
  {},
  true,
  [[[[[[[[[[]]]]]]]]]],
  { __proto__: { polluted: true } },
  Array.from({ length: 50 }, () => null),
];

/** Replaces, deletes or adds one value at a random path of the parsed document. */
export function mutateValue(doc: unknown, rng: Rng): unknown {
  const root = { v: structuredClone(doc) } as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = root;
  let key: string | number = 'v';
  for (let depth = 0; depth < 12; depth++) {
    const here: unknown = (parent as Record<string | number, unknown>)[key];
    if (typeof here !== 'object' || here === null || rng.next() < 0.2) break;
    const keys: (string | number)[] = Array.isArray(here) ? here.map((_, i) => i) : Object.keys(here);
    if (keys.length === 0) break;
    parent = here as Record<string, unknown>;
    key = keys[rng.int(keys.length)];
  }
  const op = rng.int(4);
  const target = parent as Record<string | number, unknown>;
  if (op === 0 && !Array.isArray(parent) && parent !== root) delete target[key];
  else if (op === 1 && !Array.isArray(parent))
    target[['__proto__', 'constructor', 'extra', 'id'][rng.int(4)]] = NASTY[rng.int(NASTY.length)];
  else target[key] = NASTY[rng.int(NASTY.length)];
  return root.v;
}

export function mutateText(text: string, rng: Rng): string {
  const op = rng.int(5);
  const at = rng.int(text.length + 1);
  if (op === 0) return text.slice(0, at);
  if (op === 1) return text.slice(0, at) + '{}[],:"\\\u0000\ud800'[rng.int(9)] + text.slice(at);
  if (op === 2) return text.slice(0, at) + text.slice(at + 1 + rng.int(20));
  if (op === 3) return text.slice(0, at) + text.slice(Math.max(0, at - 30), at) + text.slice(at);
  return text.replace(/\d/, String.fromCharCode(33 + rng.int(90)));
}

/** Mutated JSON texts of a valid document: half structural, half textual. */
export function* mutations(doc: unknown, count: number, seed: string): Generator<string> {
  const rng = createRng(7).fork(seed);
  const text = JSON.stringify(doc);
  for (let k = 0; k < count; k++) {
    yield rng.next() < 0.5 ? JSON.stringify(mutateValue(doc, rng)) : mutateText(text, rng);
  }
}

export function historySeed(): unknown {
  const rec: ExperimentRecord = {
    id: 'e1',
    name: 'race',
    createdAt: 1,
    updatedAt: 2,
    query: 'losses=gdl%2Cwce&lr=0.01',
    backend: 'wasm',
    status: 'paused',
    checkpointStep: 3,
    runs: ['gdl', 'wce'].map((l) => ({
      id: `${l}-1`,
      label: l,
      color: '#3bb273',
      config: { loss: l, lr: 0.01 },
      status: 'paused' as const,
      statusStep: 3,
      steps: [1, 2, 3].map((step) => ({ step, loss: 1 / step, trainDice: 0.2, predictedFg: 0.1, msPerStep: 5, lr: 0.01 })),
      validation: [{ step: 3, dice: 0.3 }],
      lrChanges: [],
      totalSteps: 10,
      startedAt: 1,
    })),
  };
  return JSON.parse(exportHistory([rec]));
}
