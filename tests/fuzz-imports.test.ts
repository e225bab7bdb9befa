// Every import path a user's file can take, fuzzed with 1,000 mutated files each, through the function the
// page calls there: runs JSON (export bar), History, sweep files (Sweeps), lesson files (Lessons),
// checkpoints (Your data) and NIfTI files. Each file is accepted or refused with at least one message of
// its own (non-empty, bounded, no internal error text); none is refused silently and none throws.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { gzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetSpec } from '../src/domain/sweep/presets';
import { newSweepRecord } from '../src/domain/sweep/record';
import { toSweepFile } from '../src/domain/sweep/format';
import { writeNifti } from '../src/engine/data/nifti';
import { createRng, type Rng } from '../src/engine/data/rng';
import { createVolume } from '../src/engine/data/volume';
import { CheckpointStore, saveModelFiles } from '../src/engine/io/model-io';
import { loadUserSubjects } from '../src/engine/io/validate';
import { createNetwork } from '../src/engine/networks';
import { parseLesson } from '../src/lessons/schema';
import { memoryStore } from '../src/state/persist/db';
import { parseHistoryJson } from '../src/state/persist/history-json';
import { RunsDb } from '../src/state/persist/runs-db';
import { createSweepStore } from '../src/state/sweep-store';
import { SweepController } from '../src/state/sweeps';
import { RunStore } from '../src/state/store';
import { historySeed, mutateBytes, mutations } from './fuzz-mutate';

const N = 1000;
const tally: Record<string, { accepted: number; refused: number }> = {};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A refusal's messages: some, each a clean sentence (not a stack, not a JS engine's TypeError text). */
function expectMessages(path: string, k: number, messages: unknown[]): void {
  expect(messages.length, `${path} #${k}: refused without a message`).toBeGreaterThan(0);
  for (const m of messages) {
    expect(typeof m === 'string' && m.trim().length > 0, `${path} #${k}: empty message`).toBe(true);
    expect((m as string).length, `${path} #${k}: message too long`).toBeLessThan(2000);
    expect(m, `${path} #${k}`).not.toMatch(/is not a function|Cannot read propert|undefined is not|\[object Object\]/);
  }
}

function count(path: string, accepted: boolean): void {
  tally[path] ??= { accepted: 0, refused: 0 };
  tally[path][accepted ? 'accepted' : 'refused']++;
}

/** Runs one import; an exception is a failure (a refusal must be a message, never a throw). */
async function outcome(path: string, k: number, fn: () => Promise<{ ok: boolean; messages: unknown[] }>): Promise<void> {
  let r: { ok: boolean; messages: unknown[] };
  try {
    r = await fn();
  } catch (err) {
    throw new Error(`${path} #${k} threw instead of answering: ${String(err)}`);
  }
  if (!r.ok) expectMessages(path, k, r.messages);
  count(path, r.ok);
}

describe(`import paths, ${N} mutated files each`, () => {
  it('runs JSON in the export bar: a message, or runs restored', async () => {
    const store = new RunStore(0);
    let k = 0;
    for (const text of mutations(historySeed(), N, 'export-bar')) {
      // What ExportBar.importJson does: parse, refuse an empty file, restore the first experiment's runs.
      await outcome('runs JSON', k++, async () => {
        const parsed = parseHistoryJson(text);
        if (!parsed.ok) return { ok: false, messages: [parsed.message] };
        const exp = parsed.experiments[0];
        if (!exp) return { ok: false, messages: ['the file holds no runs'] };
        store.restore(exp.runs);
        return { ok: true, messages: [] };
      });
    }
    expect(tally['runs JSON'].refused).toBeGreaterThan(N / 4);
  });

  it('History import: a message, or the experiments stored', async () => {
    const db = new RunsDb(memoryStore(), memoryStore());
    let k = 0;
    for (const text of mutations(historySeed(), N, 'history-import')) {
      await outcome('History', k++, async () => {
        const s = await db.importJson(text);
        return { ok: s.ok, messages: [s.message] };
      });
    }
    expect(tally.History.refused).toBeGreaterThan(N / 4);
  });

  it('sweep files in Sweeps: a message, or the sweep stored', async () => {
    const controller = new SweepController(createSweepStore({ kv: memoryStore() }));
    const record = newSweepRecord({ id: 'sw-1', spec: presetSpec('quick'), backend: 'wasm', now: new Date(0) });
    const doc = JSON.parse(JSON.stringify(toSweepFile({ record })));
    const extra = [
      '{"__proto__": {"format": "segmentation-loss-playground/sweep"}}',
      '{"__proto__": []}',
      '[]',
      'null',
      '"x"',
      '',
    ];
    let k = 0;
    for (const text of [...extra, ...mutations(doc, N, 'sweeps')]) {
      await outcome('sweeps', k++, async () => {
        const r = await controller.importText(text);
        return r.ok ? { ok: true, messages: [] } : { ok: false, messages: r.errors };
      });
    }
    expect(tally.sweeps.refused).toBeGreaterThan(N / 4);
  });

  it('lesson files in Lessons: a message, or the lesson shown', async () => {
    const doc = JSON.parse(readFileSync(new URL('../src/lessons/ce-vs-dice.json', import.meta.url), 'utf8'));
    let k = 0;
    for (const text of mutations(doc, N, 'lessons')) {
      // What LessonsView's LessonFile does: JSON.parse (its failure is a message), then parseLesson.
      await outcome('lessons', k++, async () => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          return { ok: false, messages: [`not JSON: ${(err as Error).message}`] };
        }
        const { lesson, problems } = parseLesson(value);
        return { ok: lesson !== null, messages: problems };
      });
    }
    expect(tally.lessons.refused).toBeGreaterThan(N / 4);
  });

  it('checkpoints in Your data (model.json + weights): a message, or the model loaded', async () => {
    const model = createNetwork({ kind: 'unet2d', inChannels: 1, numClasses: 2, seed: 1 });
    const files = await saveModelFiles({ model });
    model.dispose();
    const store = new CheckpointStore();
    const rng = createRng(5).fork('weights');
    const texts = mutations(JSON.parse(files.modelJson), N, 'checkpoint');
    for (let k = 0; k < N; k++) {
      // Half the files have a mutated model.json, half mutated weights bytes.
      const mutateJson = k % 2 === 0;
      const modelJson = mutateJson ? texts.next().value! : files.modelJson;
      const weights = mutateJson ? files.weights.slice() : mutateWeights(files.weights, rng);
      await outcome('checkpoints', k, async () => {
        try {
          await store.load({ id: 'user', modelJson, weights });
          return { ok: true, messages: [] };
        } catch (err) {
          // The engine's own refusal: an Error it made, with its message (a TypeError would be a bug).
          if (!(err instanceof Error) || err instanceof TypeError || err instanceof RangeError) throw err;
          return { ok: false, messages: [err.message] };
        }
      });
    }
    expect(tally.checkpoints.refused).toBeGreaterThan(N / 10);
  });

  it('NIfTI files in Your data: a report with the reason, or a subject', async () => {
    const dims: [number, number, number] = [6, 5, 4];
    const n = dims[0] * dims[1] * dims[2];
    const image = writeNifti(createVolume({ dims, data: Float32Array.from({ length: n }, (_, i) => (i * 13) % 97) }));
    const label = writeNifti(createVolume({ dims, data: Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0)) }));
    const rng = createRng(13).fork('nifti-import');
    for (let k = 0; k < N; k++) {
      const gz = k % 3 === 0;
      const mutated = mutateBytes(gz ? gzipSync(image) : image, rng);
      await outcome('NIfTI', k, async () => {
        const { report, subjects } = loadUserSubjects({
          files: [
            { name: `s1_T1.nii${gz ? '.gz' : ''}`, bytes: mutated },
            { name: 's1_seg.nii', bytes: label },
          ],
        });
        return { ok: report.ok && subjects.length === 1, messages: report.errors };
      });
    }
    expect(tally.NIfTI.refused).toBeGreaterThan(N / 10);
    console.log(`fuzzed imports (accepted/refused, every refusal with a message): ${JSON.stringify(tally)}`);
  }, 120_000);
});

function mutateWeights(src: Uint8Array, rng: Rng): Uint8Array {
  const op = rng.int(3);
  if (op === 0) return src.slice(0, rng.int(src.length));
  const b = src.slice();
  if (op === 1) new DataView(b.buffer).setFloat32(4 * rng.int(b.length / 4), [Number.NaN, Infinity, 1e38][rng.int(3)], true);
  else b.fill(255, rng.int(b.length));
  return b;
}
