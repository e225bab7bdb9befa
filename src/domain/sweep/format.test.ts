import { describe, expect, it } from 'vitest';
import { parseSweepFile, SWEEP_FILE_FORMAT, toSweepFile } from './format';
import { planSweep } from './plan';
import { presetSpec } from './presets';
import { applyProgress, newSweepRecord } from './record';
import type { RunResult, SweepProgress, SweepRecord } from './types';

function finishedRecord(): SweepRecord {
  const spec = presetSpec('quick');
  const record = newSweepRecord({ id: 'sw-1', spec, backend: 'wasm', now: new Date('2024-01-02T03:04:05Z') });
  const results: RunResult[] = planSweep(spec).cells.map((c, i) => {
    const { key, ...rest } = c;
    return {
      key,
      ...rest,
      status: i === 0 ? 'diverged' : 'done',
      step: i === 0 ? 7 : 30,
      window: Array.from({ length: 10 }, (_, k) => 0.5 + k / 100),
      curve: [0.1, 0.5],
      ...(i === 0 ? { message: 'loss became NaN at step 7' } : {}),
    };
  });
  const progress: SweepProgress = {
    sweepId: 'sw-1',
    state: 'done',
    runsDone: 8,
    runsTotal: 8,
    stepsDone: 240,
    stepsTotal: 240,
    current: null,
    msPerStep: 20,
    etaMs: 0,
    elapsedMs: 4800,
    results,
    groups: [
      {
        key: 'g',
        burden: 0.03,
        patch: 'S',
        seed: 1,
        side: 16,
        batch: 2,
        patchImbalance: 0.1,
        achievedFraction: 0.03,
        baselineDice: 0.42,
      },
    ],
  };
  return applyProgress({ record, progress, now: new Date('2024-01-02T03:05:00Z') });
}

// biome-ignore lint/suspicious/noExplicitAny: tests poke arbitrary fields of the parsed JSON
type Json = any;
const mutate = (f: (file: Json) => void): string => {
  const file = JSON.parse(JSON.stringify(toSweepFile({ record: finishedRecord() })));
  f(file);
  return JSON.stringify(file);
};

describe('sweep file', () => {
  it('round-trips a finished record, with plot data for other tools', () => {
    const record = finishedRecord();
    expect(record.results).toHaveLength(8);
    expect(record.elapsedMs).toBe(4800);
    const file = toSweepFile({ record });
    expect(file.format).toBe(SWEEP_FILE_FORMAT);
    // Two losses x one burden; each heat map 2 patches x 2 LRs.
    expect(file.plots).toHaveLength(2);
    expect(file.plots[0].z).toHaveLength(2);
    const parsed = parseSweepFile(JSON.stringify(file));
    expect(parsed).toEqual({ ok: true, record, warnings: [] });
  });

  it('keeps each run\u2019s window validations (NaN as null and back); old files without them still import', () => {
    const record = finishedRecord();
    const metrics = {
      dice: 0.5,
      hd95: 3,
      avd: 12,
      lesionRecall: 1,
      lesionPrecision: 2,
      lesionF1: 1.3,
      recallSmall: Number.NaN,
      recallMedium: 1,
      recallLarge: 1,
    };
    record.results[1].validation = [{ step: 30, metrics }];
    const text = JSON.stringify(toSweepFile({ record }));
    expect(text).toContain('"recallSmall":null');
    const parsed = parseSweepFile(text);
    expect(parsed.ok && parsed.record.results[1].validation).toEqual([{ step: 30, metrics }]);
    expect(parsed.ok && parsed.record.results[2].validation).toBeUndefined();
    const bad = parseSweepFile(mutate((f) => (f.record.results[1].validation = [{ step: 30, metrics: { hd95: 'x' } }])));
    expect(bad).toEqual({ ok: false, errors: ['record.results[1].validation[0]: expected { step, metrics } with every metric'] });
  });

  it('a record saved while running comes back interrupted (its page is gone)', () => {
    const parsed = parseSweepFile(mutate((f) => (f.record.state = 'running')));
    expect(parsed.ok && parsed.record.state).toBe('interrupted');
  });

  it('explains what is wrong, with the path of each problem', () => {
    const problems = (text: string) => {
      const p = parseSweepFile(text);
      expect(p.ok).toBe(false);
      return p.ok ? '' : p.errors.join('\n');
    };
    expect(problems('{"format":')).toMatch(/^not valid JSON/);
    expect(problems('[1,2]')).toMatch(/not a sweep file/);
    expect(problems(mutate((f) => (f.version = 2)))).toMatch(/unsupported version 2/);
    expect(problems(mutate((f) => (f.record.spec.losses = ['gdl', 'bogus'])))).toContain('record.spec: losses: unknown bogus');
    expect(problems(mutate((f) => (f.record.results[2].window[1] = 1.7)))).toContain(
      'record.results[2].window[1]: expected a Dice value in [0, 1], got 1.7',
    );
    expect(problems(mutate((f) => (f.record.results[1].key = 'nope')))).toContain("record.results[1].key: 'nope' is not a run");
    expect(problems(mutate((f) => (f.record.results[1].lr = 0.5)))).toMatch(
      /record.results\[1\]: loss\/lr\/patch\/burden\/seed do not match/,
    );
    expect(problems(mutate((f) => f.record.results.push(f.record.results[0])))).toMatch(/appears twice/);
    expect(problems(mutate((f) => (f.record.results[0].status = 'running')))).toContain('record.results[0].status');
    expect(problems(mutate((f) => (f.record.createdAt = 'yesterday')))).toContain('record.createdAt: expected an ISO date');
  });

  it('caps the list of problems', () => {
    const p = parseSweepFile(
      mutate((f) => {
        for (const r of f.record.results as RunResult[]) r.window = [2];
      }),
    );
    expect(p.ok).toBe(false);
    if (!p.ok) {
      expect(p.errors).toHaveLength(8);
      const many = parseSweepFile(
        mutate((f) => {
          for (const r of f.record.results as RunResult[]) {
            r.window = [2];
            r.curve = [3];
          }
        }),
      );
      expect(!many.ok && many.errors.length).toBe(13);
      expect(!many.ok && many.errors.at(-1)).toMatch(/and 4 more problems/);
    }
  });
});

describe('the threshold baseline in sweep files and reports', () => {
  it('survives the file round trip, is dropped out of [0, 1], and the report states it', async () => {
    const { sweepReportMarkdown } = await import('./report');
    const record = finishedRecord();
    const back = parseSweepFile(JSON.stringify(toSweepFile({ record })));
    expect(back.ok && back.record.groups[0].baselineDice).toBe(0.42);
    // A Dice outside [0, 1] is not a baseline: that group is dropped, with a warning that says so.
    const bad = parseSweepFile(mutate((f) => (f.record.groups[0].baselineDice = 1.5)));
    expect(bad.ok && bad.record.groups).toEqual([]);
    expect(bad.ok && bad.warnings).toContain('1 malformed data-group entries were dropped');
    // A group of the sweep's own burden and patch: the report names the baseline for that burden.
    const spec = record.spec;
    const own = { ...record, groups: [{ ...record.groups[0], burden: spec.burdens[0], patch: spec.patches[0].id }] };
    expect(sweepReportMarkdown({ record: own })).toContain(
      'Best single intensity threshold on the validation subject (no learning): Dice 0.42',
    );
  });
});

describe('files written before per-seed statistics', () => {
  it('the committed table2 sweep (one seed) still loads: its CSV keeps the old columns, each seed\u2019s value is its median', async () => {
    const { readFileSync } = await import('node:fs');
    const { assembleTables, tablesToCsv } = await import('./table');
    const parsed = parseSweepFile(readFileSync('docs/sweeps/table2.json', 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const tables = assembleTables({ spec: parsed.record.spec, results: parsed.record.results });
    // The old file's own CSV is exactly the first 15 columns of today's.
    const old = readFileSync('docs/sweeps/table2.csv', 'utf8').trim().split('\n');
    const now = tablesToCsv({ tables }).trim().split('\n');
    expect(now.map((l) => l.split(',').slice(0, 15).join(','))).toEqual(old);
    expect(now[0].split(',').slice(15)).toEqual(['mean', 'ci_lo', 'ci_hi', 'seeds_used', 'seed_1']);
    for (const c of tables[0].rows.flatMap((r) => r.cells)) {
      expect(c.perSeed).toHaveLength(1);
      expect(c.perSeed[0].value).toBe(c.median);
      expect(c.text).toBe(c.pooledText);
    }
  });
});
