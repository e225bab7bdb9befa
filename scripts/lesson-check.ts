// Runs every playground step of every lesson as the page sets it up (stepSettings, then the page's data
// and run requests), to its last step, and prints each run's validation Dice at a few steps beside the
// threshold baseline: the evidence a lesson text's claim ("CE stays flat", "it collapses") rests on.
// Usage: npm run lessons:check [-- --lesson ce-vs-dice] [--step 2] [--seeds 1] [--set 'difficulty=easy&steps=400']
import type { EngineEvents } from '../src/engine/api';
import { selectBackend } from '../src/engine/backend/backend';
import { Session } from '../src/engine/train/session';
import { TRAINER_DEFAULTS } from '../src/engine/train/trainer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Lesson, parseLesson, stepSettings } from '../src/lessons/schema';
import { buildDataRequest, buildRunRequests } from '../src/state/run-requests';
import { DEFAULT_SETTINGS } from '../src/state/settings';

// The lesson files as the page bundles them (src/lessons/index.ts uses Vite's glob, which Node lacks).
const DIR = join(process.cwd(), 'src/lessons');
const LESSONS: Lesson[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const { lesson, problems } = parseLesson(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
    if (!lesson) throw new Error(`${f}: ${problems.join('; ')}`);
    return lesson;
  })
  .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const onlyLesson = arg('lesson');
  const onlyStep = arg('step') ? Number(arg('step')) : undefined;
  // Lessons with several seeds per loss can be cut to fewer replicates for a quick look.
  const maxSeeds = arg('seeds') ? Number(arg('seeds')) : undefined;
  // Settings laid over every step's, to see whether a claim depends on them (another phantom, more steps).
  const set = arg('set');
  if (onlyLesson && !LESSONS.some((l) => l.id === onlyLesson))
    throw new Error(`no lesson '${onlyLesson}'; lessons: ${LESSONS.map((l) => l.id).join(', ')}`);
  const backend = await selectBackend({ requested: 'wasm' });
  console.log(`lesson check on ${backend.active}: validation Dice of each run at steps 50, 100 and the last`);
  for (const shipped of LESSONS) {
    if (onlyLesson && shipped.id !== onlyLesson) continue;
    const lesson = set
      ? { ...shipped, steps: shipped.steps.map((st) => ({ ...st, settings: `${st.settings}&${set}` })) }
      : shipped;
    for (let step = 1; step <= lesson.steps.length; step++) {
      if (onlyStep && step !== onlyStep) continue;
      const s0 = stepSettings({ lesson, step, current: DEFAULT_SETTINGS });
      if (s0.view !== 'playground') continue;
      const s = maxSeeds ? { ...s0, seeds: Math.min(s0.seeds, maxSeeds) } : s0;
      const dice = new Map<string, Map<number, number>>();
      const ends = new Map<string, EngineEvents['status']>();
      const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => {
        if (name === 'validation') {
          const v = payload as EngineEvents['validation'];
          if (!dice.has(v.runId)) dice.set(v.runId, new Map());
          dice.get(v.runId)!.set(v.step, v.dice);
        } else if (name === 'status') {
          const st = payload as EngineEvents['status'];
          ends.set(st.runId, st);
        }
      };
      const session = new Session(emit, { trainer: { ...TRAINER_DEFAULTS, snapshotEvery: 0 } });
      const t0 = performance.now();
      const data = await session.prepareData(buildDataRequest(s));
      const requests = buildRunRequests(s);
      await session.createRuns(requests);
      await session.control('play');
      await session.whenIdle();
      const b = data.baseline;
      console.log(
        `\n${lesson.id} step ${step} "${lesson.steps[step - 1].title}": ${s.network}, ${s.difficulty} ${s.lesion} ${(100 * s.fraction).toPrecision(2)}%, lr ${s.lr}, ${s.steps} steps; threshold baseline ${b ? b.dice.toFixed(3) : 'n/a'} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
      for (const r of requests) {
        const d = dice.get(r.runId) ?? new Map<number, number>();
        const at = (k: number) => (d.has(k) ? d.get(k)!.toFixed(3) : '  -  ');
        const st = ends.get(r.runId);
        console.log(
          `  ${r.runId.padEnd(18)} Dice@50 ${at(50)}  @100 ${at(100)}  @${s.steps} ${at(s.steps)}  ${st?.status ?? '?'}${st?.message ? ` (${st.message})` : ''}`,
        );
      }
      await session.disposeRuns();
    }
  }
}

main().catch((err) => {
  console.error(`lesson-check: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
