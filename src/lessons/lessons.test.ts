// Every lesson file is valid and every step is a reachable playground state; the validator rejects
// what a teacher might get wrong, with a message saying where.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { DEFAULT_SETTINGS, parseSettings, serializeSettings } from '../state/settings';
import { findLesson, LESSON_ERRORS, LESSONS } from './index';
import { type Lesson, lessonProblems, stepQuery, stepSettings } from './schema';

const dir = join(process.cwd(), 'src/lessons');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('lesson files', () => {
  it('are all valid and all loaded, ids equal to file names, in order', () => {
    expect(LESSON_ERRORS).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const json = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(lessonProblems(json), f).toEqual([]);
      expect(`${json.id}.json`).toBe(f);
    }
    expect(LESSONS.map((l) => `${l.id}.json`).sort()).toEqual([...files].sort());
    const orders = LESSONS.map((l) => l.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('cover the five topics the issue names', () => {
    for (const id of ['accuracy-lies', 'ce-vs-dice', 'lr-robustness', 'absent-classes', 'ss-lambda'])
      expect(findLesson(id)).toBeDefined();
  });

  it('have steps whose states differ from one another and round-trip through the URL', () => {
    for (const lesson of LESSONS) {
      const states = lesson.steps.map((_, i) => stepSettings({ lesson, step: i + 1, current: DEFAULT_SETTINGS }));
      const urls = states.map((s) => serializeSettings({ ...s, lesson: '', step: 1 }));
      expect(new Set(urls).size, lesson.id).toBe(urls.length);
      for (const [i, s] of states.entries()) {
        const back = parseSettings(serializeSettings(s));
        expect(back.notices).toEqual([]);
        expect(back.settings).toEqual(s);
        expect(s).toMatchObject({ lesson: lesson.id, step: i + 1 });
      }
    }
  });
});

describe('stepSettings', () => {
  const lesson: Lesson = {
    id: 'demo',
    title: 'Demo',
    summary: 'A demo.',
    order: 1,
    base: 'size=64&fraction=0.01&_hide=seed',
    steps: [
      { title: 'a', text: 'A.', settings: 'view=explorer&loss=ce' },
      { title: 'b', text: 'B.', settings: 'fraction=0.001&lambda=0.3&backend=cpu' },
      { title: 'c', text: 'C.', settings: '' },
    ],
  };

  it('starts from the defaults, applies base then step, keeps the backend and the hidden controls', () => {
    const current = { ...DEFAULT_SETTINGS, backend: 'wasm' as const, hide: ['lr'], lr: 0.5, lossOptions: { epsilon: '0.1' } };
    const a = stepSettings({ lesson, step: 1, current });
    expect(a).toEqual({
      ...DEFAULT_SETTINGS,
      size: 64,
      fraction: 0.01,
      view: 'explorer',
      loss: 'ce',
      losses: [],
      backend: 'wasm',
      hide: ['lr', 'seed'],
      lesson: 'demo',
      step: 1,
    });
    const b = stepSettings({ lesson, step: 2, current });
    expect(b).toMatchObject({ fraction: 0.001, backend: 'cpu', view: 'playground', lossOptions: { lambda: '0.3' }, step: 2 });
    expect(stepQuery(lesson, 2)).toBe('size=64&fraction=0.001&_hide=seed&lambda=0.3&backend=cpu');
  });
});

describe('lessonProblems', () => {
  const good = {
    id: 'ok',
    title: 'T',
    summary: 'S',
    order: 1,
    steps: [1, 2, 3].map((i) => ({ title: `s${i}`, text: 'Do this.', settings: 'loss=ce' })),
  };
  it('accepts a minimal lesson', () => {
    expect(lessonProblems(good)).toEqual([]);
  });
  it.each([
    [null, /JSON object/],
    [{ ...good, id: 'Bad Id' }, /^id:/],
    [{ ...good, title: '' }, /^title/],
    [{ ...good, order: '1' }, /^order/],
    [{ ...good, extra: 1 }, /unknown field 'extra'/],
    [{ ...good, steps: good.steps.slice(0, 2) }, /3 to 6 steps, got 2/],
    [{ ...good, steps: [...good.steps, ...good.steps, ...good.steps] }, /got 9/],
    [{ ...good, steps: [...good.steps.slice(1), { title: 't', text: 'x', settings: 'loss=nope' }] }, /step 3: Ignored loss=nope/],
    [
      { ...good, steps: [...good.steps.slice(1), { title: 't', text: 'x', settings: 'lesson=ok&step=2' }] },
      /may not set 'lesson'/,
    ],
    [{ ...good, steps: [...good.steps.slice(1), { title: 't', text: 'x', settings: 'colour=red' }] }, /unknown setting 'colour'/],
    [{ ...good, steps: [...good.steps.slice(1), { title: 't', text: 'x'.repeat(601), settings: '' }] }, /step 3: text/],
    [{ ...good, steps: [...good.steps.slice(1), { title: 't', text: 'x', settings: 3 }] }, /step 3: settings/],
    [{ ...good, base: 'lambda=9' }, /step 1: Ignored lambda=9/],
  ])('rejects %j', (value, message) => {
    const problems = lessonProblems(value);
    expect(
      problems.some((p) => message.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });
});
