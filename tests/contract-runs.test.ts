// The page-to-engine contract: every state the page can set up (the default page, each lesson step,
// 200 fuzzed links) is turned into requests exactly as the page does, created on a tiny phantom and
// trained one step. A state that can be reached but not trained fails here.
import { beforeAll, describe, expect, it } from 'vitest';

import { LOSS_IDS, OPTION_SPECS, type OptionName, ownersOf } from '../src/domain/losses';
import { NETWORKS } from '../src/domain/networks';
import { LESION_KINDS } from '../src/domain/phantom';
import { createRng, type Rng } from '../src/engine/data/rng';
import { selectBackend } from '../src/engine/backend/backend';
import { recorder } from '../src/engine/train/events.test-utils';
import { Session } from '../src/engine/train/session';
import { LESSONS } from '../src/lessons';
import { stepSettings } from '../src/lessons/schema';
import { buildDataRequest, buildRunRequests } from '../src/state/run-requests';
import { DEFAULT_SETTINGS, parseSettings, type Settings, serializeSettings } from '../src/state/settings';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

/** The same experiment on a phantom small enough to build and step in well under a second. */
function tiny(s: Settings): Settings {
  const dims = NETWORKS.find((n) => n.id === s.network)!.dims;
  return { ...s, size: 32, patch: dims === 2 ? 16 : 8, batch: dims === 2 ? Math.min(s.batch, 4) : 1 };
}

/** Creates the page's runs and trains one step; returns each run's last status and the steps it reported. */
async function trainOneStep(s: Settings) {
  const r = recorder();
  const session = new Session(r.emit, { trainer: { readEvery: 1, validateEvery: 0, snapshotEvery: 0 } });
  await session.prepareData(buildDataRequest(tiny(s)));
  const requests = buildRunRequests(s);
  await session.createRuns(requests);
  await session.control('step');
  await session.whenIdle();
  const runs = requests.map((req) => {
    const statuses = r.of('status').filter((e) => e.runId === req.runId);
    const steps = r.of('steps').flatMap((e) => (e.runId === req.runId ? e.points : []));
    return { runId: req.runId, last: statuses.at(-1), steps: steps.length };
  });
  await session.disposeRuns();
  return { requests, runs };
}

function expectTrained(label: string, out: Awaited<ReturnType<typeof trainOneStep>>) {
  for (const run of out.runs) {
    expect(run.last?.status, `${label}: ${run.runId} ${run.last?.message ?? ''}`).not.toBe('error');
    expect(run.steps, `${label}: ${run.runId} made no step`).toBeGreaterThanOrEqual(1);
  }
  // Only the options the run's loss owns reach it.
  for (const req of out.requests)
    for (const key of Object.keys(req.lossOptions)) expect(ownersOf(key), `${label}: ${req.loss} got ${key}`).toContain(req.loss);
}

describe('every state the page can set up trains', () => {
  it('the default page (the paper four race)', async () => {
    const out = await trainOneStep(DEFAULT_SETTINGS);
    expect(out.requests.map((r) => r.loss)).toEqual(['wce', 'dl2', 'ss', 'gdl']);
    expectTrained('default', out);
  });

  const steps = LESSONS.flatMap((lesson) => lesson.steps.map((_, i) => ({ lesson, step: i + 1 })));
  it.each(steps.map((s) => [`${s.lesson.id} step ${s.step}`, s] as const))('lesson %s', async (label, { lesson, step }) => {
    expectTrained(label, await trainOneStep(stepSettings({ lesson, step, current: DEFAULT_SETTINGS })));
  });

  it('a link with seeds=2: every loss trains once per seed, each seed its own run', async () => {
    const { settings, notices } = parseSettings('?seeds=2&losses=gdl,wce&steps=6');
    expect(notices).toEqual([]);
    const out = await trainOneStep(settings);
    expect(out.requests.map((r) => [r.runId, r.loss, r.seed])).toEqual([
      ['gdl-1', 'gdl', 1],
      ['gdl-2', 'gdl', 2],
      ['wce-1', 'wce', 1],
      ['wce-2', 'wce', 2],
    ]);
    expectTrained('seeds=2', out);
  });

  it('ce-vs-dice step 5, which could not train before: wceWeight reaches WCE only', () => {
    const lesson = LESSONS.find((l) => l.id === 'ce-vs-dice')!;
    const reqs = buildRunRequests(stepSettings({ lesson, step: 5, current: DEFAULT_SETTINGS }));
    expect(reqs.map((r) => [r.loss, r.lossOptions])).toEqual([
      ['ce', {}],
      ['wce', { wceWeight: 'reference' }],
      ['dice', {}],
    ]);
  });

  it('200 fuzzed links: parsed like a link, then trained one step', { timeout: 900_000 }, async () => {
    const rng = createRng(20261201);
    for (let i = 0; i < 200; i++) {
      const query = fuzzQuery(rng);
      const { settings } = parseSettings(`?${query}`);
      // The page writes the settings back to the URL: that link must give the same runs.
      expect(buildRunRequests(parseSettings(`?${serializeSettings(settings)}`).settings), query).toEqual(
        buildRunRequests(settings),
      );
      expectTrained(`#${i} ?${query}`, await trainOneStep(settings));
    }
  });
});

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** A random link: some losses, a network, a burden, and options of any loss (owned or not, valid or not). */
function fuzzQuery(rng: Rng): string {
  const q = new URLSearchParams();
  const losses = [...new Set(Array.from({ length: 1 + rng.int(4) }, () => pick(rng, LOSS_IDS)))];
  if (losses.length === 1 && rng.next() < 0.5) q.set('loss', losses[0]);
  else q.set('losses', losses.join(','));
  q.set('network', pick(rng, NETWORKS).id);
  q.set('lesion', pick(rng, LESION_KINDS));
  q.set('fraction', String(pick(rng, [0.3, 0.05, 0.01, 0.001, 0.0001, 0.00001])));
  q.set('lr', String(pick(rng, [1e-5, 1e-4, 1e-3, 1e-2, 0.1])));
  q.set('seed', String(rng.int(1000)));
  const names = [...Object.keys(OPTION_SPECS), 'alpha', 'beta'];
  for (let k = rng.int(5); k > 0; k--) {
    const name = pick(rng, names);
    q.set(name, randomValue(rng, name));
  }
  return q.toString();
}

function randomValue(rng: Rng, name: string): string {
  const spec = OPTION_SPECS[name as OptionName] ?? { kind: 'number', min: 0, max: 1 };
  if (spec.kind === 'boolean') return pick(rng, ['true', 'false', 'yes']);
  if (spec.kind === 'enum') return pick(rng, [...spec.values, 'bogus']);
  if (rng.next() < 0.1) return String(spec.max * 2 + 1);
  return String(Number((spec.min + rng.next() * (spec.max - spec.min)).toPrecision(3)));
}
