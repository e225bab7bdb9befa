// The phantom's bytes, pinned: every volume and the metadata of a few phantoms hash as they did before the
// generator's loops were restructured for V8 (2026-12-02: flat voxel loops, one loop nest per function).
// A change that moves any value, even in the last bit, fails here; an intended change updates the hashes
// (and the build's phantom store, which is keyed by the build, never serves the old ones).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePhantom, type PhantomInput } from './phantom';

const CASES: [string, PhantomInput, string][] = [
  ['realistic tumour', { seed: 7, shape: [48, 48, 36], lesion: { kind: 'tumour', fraction: 0.02 } }, '07712387669c214e'],
  ['realistic wmh', { seed: 7, shape: [48, 48, 36], lesion: { kind: 'wmh', fraction: 0.004 } }, '12cc87d58409b096'],
  ['realistic lacunes', { seed: 7, shape: [48, 48, 36], lesion: { kind: 'lacunes', fraction: 0.004 } }, 'b9c1aeeca44843a0'],
  [
    'hard tumour',
    { seed: 7, shape: [48, 48, 36], difficulty: 'hard', lesion: { kind: 'tumour', fraction: 0.02 } },
    'df5833c66071911c',
  ],
  [
    'hard wmh',
    { seed: 7, shape: [48, 48, 36], difficulty: 'hard', lesion: { kind: 'wmh', fraction: 0.004 } },
    '9f0c4f62b4ff9334',
  ],
  [
    'hard lacunes',
    { seed: 7, shape: [48, 48, 36], difficulty: 'hard', lesion: { kind: 'lacunes', fraction: 0.004 } },
    '34f162fb880c6747',
  ],
  [
    'realistic, anisotropic, no blur or noise',
    { seed: 3, shape: [40, 36, 30], spacing: [1.2, 1, 2], blur: 0, noise: 0 },
    'aff3039c65a088a0',
  ],
  ['realistic, no bias, healthy', { seed: 5, shape: [48, 48, 36], biasField: 0, lesion: { fraction: 0 } }, 'd22f95d1b3732cd5'],
  ['easy, anisotropic', { seed: 9, shape: [40, 36, 30], spacing: [1, 1.5, 2], difficulty: 'easy' }, 'c4b2749263bdebea'],
];

function phantomHash(input: PhantomInput): string {
  const p = generatePhantom(input);
  const h = createHash('sha256');
  for (const v of [...p.images, p.label, p.brainMask, p.wmMask, p.tissue, p.zones, p.mimics])
    if (v) h.update(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength));
  h.update(JSON.stringify(p.meta));
  return h.digest('hex').slice(0, 16);
}

describe('phantom bytes', () => {
  it.each(CASES)('%s: every volume and the metadata as recorded', (_name, input, expected) => {
    expect(phantomHash(input)).toBe(expected);
  });

  it('the same again in one process (the same code compiled differently gives the same bytes)', () => {
    // Later calls run optimised code where the first ran in the interpreter: the values must not depend on it.
    for (let k = 0; k < 3; k++) expect(phantomHash(CASES[0][1])).toBe(CASES[0][2]);
  });
});
