// Lessons are data: one JSON file per lesson in this folder. This is their schema and validator
// (tf-free, used by the page, the unit tests and the e2e), and how a step becomes playground settings.
import { parseSettings, type Settings } from '../state/settings';

export interface LessonStep {
  title: string;
  /** A sentence or two: what to do and what to look at. */
  text: string;
  /** The playground state of this step, as a URL query (`view=explorer&loss=ce&fraction=0.01`). */
  settings: string;
}

export interface Lesson {
  /** a-z, 0-9 and dashes; equals the file name (ID.json) and the `lesson=` URL value. */
  id: string;
  title: string;
  summary: string;
  /** Position in the list (ascending). */
  order: number;
  /** Query applied before every step's own (sizes shared by the lesson). */
  base?: string;
  /** 3 to 6 steps. */
  steps: LessonStep[];
}

export const LESSON_LIMITS = { minSteps: 3, maxSteps: 6, title: 80, summary: 300, text: 600 } as const;

const ID = /^[a-z0-9-]{1,64}$/;
// Keys a step may not set: they say where the student is, not what the playground does.
const RESERVED = ['lesson', 'step'];

/** The full query of a step: the lesson's base, then the step's own settings (later keys win). */
export function stepQuery(lesson: Pick<Lesson, 'base' | 'steps'>, step: number): string {
  const q = new URLSearchParams(lesson.base ?? '');
  for (const [k, v] of new URLSearchParams(lesson.steps[step - 1]?.settings ?? '')) q.set(k, v);
  return q.toString();
}

function str(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.trim().length > 0 && v.length <= max;
}

/** Every problem of a parsed JSON value as a lesson; an empty list means it is a valid Lesson. */
export function lessonProblems(value: unknown): string[] {
  const p: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['a lesson must be a JSON object'];
  const l = value as Record<string, unknown>;
  if (typeof l.id !== 'string' || !ID.test(l.id)) p.push('id: use 1-64 characters a-z, 0-9 and -');
  if (!str(l.title, LESSON_LIMITS.title)) p.push(`title: a non-empty string of at most ${LESSON_LIMITS.title} characters`);
  if (!str(l.summary, LESSON_LIMITS.summary))
    p.push(`summary: a non-empty string of at most ${LESSON_LIMITS.summary} characters`);
  if (typeof l.order !== 'number' || !Number.isFinite(l.order)) p.push('order: a number');
  if (l.base !== undefined && typeof l.base !== 'string') p.push('base: a URL query string');
  const known = new Set(['id', 'title', 'summary', 'order', 'base', 'steps']);
  for (const k of Object.keys(l)) if (!known.has(k)) p.push(`unknown field '${k}'`);
  if (!Array.isArray(l.steps)) return [...p, 'steps: a list of steps'];
  const { minSteps, maxSteps } = LESSON_LIMITS;
  if (l.steps.length < minSteps || l.steps.length > maxSteps)
    p.push(`steps: ${minSteps} to ${maxSteps} steps, got ${l.steps.length}`);
  for (const [i, s] of (l.steps as unknown[]).entries()) {
    const at = `step ${i + 1}`;
    if (typeof s !== 'object' || s === null) {
      p.push(`${at}: an object with title, text and settings`);
      continue;
    }
    const step = s as Record<string, unknown>;
    for (const k of Object.keys(step)) if (!['title', 'text', 'settings'].includes(k)) p.push(`${at}: unknown field '${k}'`);
    if (!str(step.title, LESSON_LIMITS.title)) p.push(`${at}: title, at most ${LESSON_LIMITS.title} characters`);
    if (!str(step.text, LESSON_LIMITS.text)) p.push(`${at}: text, at most ${LESSON_LIMITS.text} characters`);
    if (typeof step.settings !== 'string') {
      p.push(`${at}: settings, a URL query string`);
      continue;
    }
    const query = stepQuery({ base: typeof l.base === 'string' ? l.base : '', steps: [step as unknown as LessonStep] }, 1);
    for (const k of RESERVED) if (new URLSearchParams(query).has(k)) p.push(`${at}: settings may not set '${k}'`);
    for (const n of parseSettings(query).notices) p.push(`${at}: ${n}`);
  }
  return p;
}

/** The lesson, or the problems that stop it being one. */
export function parseLesson(value: unknown): { lesson: Lesson | null; problems: string[] } {
  const problems = lessonProblems(value);
  return { lesson: problems.length === 0 ? (value as Lesson) : null, problems };
}

/**
 * The settings a step sets: defaults + base + step, keeping the student's backend (unless the step names
 * one) and every control a teacher hid; lesson and step are recorded so the page can come back.
 */
export function stepSettings(params: { lesson: Lesson; step: number; current: Settings }): Settings {
  const { lesson, step, current } = params;
  const query = stepQuery(lesson, step);
  const s = parseSettings(query).settings;
  const keys = new Set(new URLSearchParams(query).keys());
  return {
    ...s,
    backend: keys.has('backend') ? s.backend : current.backend,
    hide: [...new Set([...current.hide, ...s.hide])],
    lesson: lesson.id,
    step,
  };
}
