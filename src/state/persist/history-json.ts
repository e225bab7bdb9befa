// History export/import as JSON. Import validates every field against the schema and answers with
// one clean message naming the first bad path; nothing in a file can throw out of parseHistoryJson.
import { METRIC_IDS, type ValidationMetrics } from '../../domain/metrics';
import { RUN_STATUSES } from '../../domain/runs';
import type { RunStatus, StepPoint } from '../../engine/train/events';
import { parseSettings, serializeSettings } from '../settings';
import type { RunSummary } from '../store';
import { cleanText, type ExperimentRecord, experimentStatus } from './records';

export const HISTORY_FORMAT = 'segmentation-loss-playground/history';
export const HISTORY_VERSION = 1;

export const IMPORT_LIMITS = { chars: 64 * 2 ** 20, experiments: 1000, runs: 32, points: 200_000, text: 200 };

const STATUSES: readonly RunStatus[] = RUN_STATUSES;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The JSON text of a history file (NaN and Infinity losses become null, as JSON has no such numbers). */
export function exportHistory(records: readonly ExperimentRecord[], now = Date.now()): string {
  return JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_VERSION, exportedAt: now, experiments: records }, null, 1);
}

export type ImportResult = { ok: true; experiments: ExperimentRecord[]; notices: string[] } | { ok: false; message: string };

class Invalid extends Error {}

type Obj = Record<string, unknown>;
const fail = (path: string, expected: string): never => {
  throw new Invalid(`${path} must be ${expected}`);
};
function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object');
  return v as Obj;
}
function arr(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, 'a list');
  if ((v as unknown[]).length > max) fail(path, `a list of at most ${max} items`);
  return v as unknown[];
}
function str(v: unknown, path: string, max = IMPORT_LIMITS.text): string {
  if (typeof v !== 'string') fail(path, 'text');
  if ((v as string).length > max) fail(path, `text of at most ${max} characters`);
  return v as string;
}
function num(v: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(path, `a number in [${min}, ${max}]`);
  return v as number;
}
function int(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const x = num(v, path, min, max);
  if (!Number.isInteger(x)) fail(path, 'a whole number');
  return x;
}
/** A number, or null for a non-finite value JSON could not carry. */
function numOrNull(v: unknown, path: string): number {
  return v === null ? Number.NaN : num(v, path);
}
const clean = (s: string) => cleanText(s, Number.MAX_SAFE_INTEGER);

function point(v: unknown, path: string): StepPoint {
  const o = obj(v, path);
  return {
    step: int(o.step, `${path}.step`, 0),
    loss: numOrNull(o.loss, `${path}.loss`),
    trainDice: numOrNull(o.trainDice, `${path}.trainDice`),
    predictedFg: numOrNull(o.predictedFg, `${path}.predictedFg`),
    msPerStep: numOrNull(o.msPerStep, `${path}.msPerStep`),
    lr: num(o.lr, `${path}.lr`, 0, 1),
  };
}

/** A validation's challenge metrics: every known id a number or null (NaN); a missing id reads as NaN, unknown ones drop. */
function metricsOf(v: unknown, path: string): ValidationMetrics {
  const o = obj(v, path);
  return Object.fromEntries(
    METRIC_IDS.map((id) => [id, o[id] === undefined ? Number.NaN : numOrNull(o[id], `${path}.${id}`)]),
  ) as ValidationMetrics;
}

function run(v: unknown, path: string): RunSummary {
  const o = obj(v, path);
  const status = str(o.status, `${path}.status`, 16) as RunStatus;
  if (!STATUSES.includes(status)) fail(`${path}.status`, `one of ${STATUSES.join(', ')}`);
  const color = str(o.color, `${path}.color`, 16);
  if (!/^#[0-9a-fA-F]{3,8}$/.test(color)) fail(`${path}.color`, 'a colour like #3bb273');
  const config: Obj = {};
  for (const [k, c] of Object.entries(obj(o.config, `${path}.config`))) {
    if (FORBIDDEN_KEYS.has(k) || k.length > 64) continue;
    if (typeof c === 'string') config[k] = clean(c).slice(0, IMPORT_LIMITS.text);
    else if ((typeof c === 'number' && Number.isFinite(c)) || typeof c === 'boolean') config[k] = c;
    else fail(`${path}.config.${clean(k)}`, 'text, a number or true/false');
  }
  const series = (key: string, item: (x: unknown, p: string) => unknown) =>
    arr(o[key], `${path}.${key}`, IMPORT_LIMITS.points).map((x, i) => item(x, `${path}.${key}[${i}]`));
  return {
    id: clean(str(o.id, `${path}.id`, 64)),
    label: clean(str(o.label, `${path}.label`, 64)),
    color,
    config,
    status,
    statusStep: int(o.statusStep, `${path}.statusStep`),
    message: o.message === undefined || o.message === null ? undefined : clean(str(o.message, `${path}.message`, 500)),
    steps: series('steps', point) as StepPoint[],
    validation: series('validation', (x, p) => {
      const q = obj(x, p);
      const perClass = Array.isArray(q.perClass)
        ? { perClass: q.perClass.slice(0, 16).map((v, i) => numOrNull(v, `${p}.perClass[${i}]`)) }
        : {};
      const metrics = q.metrics === undefined || q.metrics === null ? {} : { metrics: metricsOf(q.metrics, `${p}.metrics`) };
      return { step: int(q.step, `${p}.step`), dice: numOrNull(q.dice, `${p}.dice`), ...perClass, ...metrics };
    }) as RunSummary['validation'],
    lrChanges: series('lrChanges', (x, p) => {
      const q = obj(x, p);
      return { step: int(q.step, `${p}.step`), lr: num(q.lr, `${p}.lr`, 0, 1) };
    }) as RunSummary['lrChanges'],
    totalSteps: int(o.totalSteps, `${path}.totalSteps`, 1, 10_000_000),
    startedAt: num(o.startedAt, `${path}.startedAt`, 0),
  };
}

function experiment(v: unknown, path: string, notices: string[]): ExperimentRecord {
  const o = obj(v, path);
  const name = clean(str(o.name, `${path}.name`));
  // Settings go through the URL parser: bad values are dropped with a notice, exactly like a bad link.
  const parsed = parseSettings(`?${str(o.query, `${path}.query`, 4000)}`);
  for (const n of parsed.notices) notices.push(`${name || path}: ${n}`);
  const runs = arr(o.runs, `${path}.runs`, IMPORT_LIMITS.runs).map((r, i) => run(r, `${path}.runs[${i}]`));
  const ids = new Set(runs.map((r) => r.id));
  if (ids.size !== runs.length) fail(`${path}.runs`, 'runs with different ids');
  if (o.checkpointStep !== undefined && o.checkpointStep !== null) int(o.checkpointStep, `${path}.checkpointStep`);
  return {
    id: clean(str(o.id, `${path}.id`, 64)) || `${path}`,
    name: name || 'imported run',
    createdAt: num(o.createdAt, `${path}.createdAt`, 0),
    updatedAt: num(o.updatedAt, `${path}.updatedAt`, 0),
    query: serializeSettings({ ...parsed.settings, view: 'playground' }),
    backend: clean(str(o.backend, `${path}.backend`, 16)),
    status: experimentStatus(runs),
    runs,
    // Checkpoints are never exported: an imported record can be viewed, not continued.
    checkpointStep: null,
  };
}

/** Reads a history file; every problem ends as { ok: false, message }. */
export function parseHistoryJson(text: unknown): ImportResult {
  try {
    if (typeof text !== 'string') return { ok: false, message: 'The file is not text.' };
    if (text.length > IMPORT_LIMITS.chars)
      return { ok: false, message: 'The file is too large for a history file (over 64 MB).' };
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message.slice(0, 120) : 'syntax error';
      return { ok: false, message: `The file is not valid JSON (${why}).` };
    }
    const top = obj(data, 'the file');
    if (top.format !== HISTORY_FORMAT)
      return { ok: false, message: `Not a playground history file (format should be "${HISTORY_FORMAT}").` };
    if (top.version !== HISTORY_VERSION)
      return {
        ok: false,
        message:
          top.version === undefined
            ? `History file has no version (expected "version": ${HISTORY_VERSION}).`
            : `History file version ${JSON.stringify(top.version)?.slice(0, 20)} is not supported (expected ${HISTORY_VERSION}).`,
      };
    const notices: string[] = [];
    const list = arr(top.experiments, 'experiments', IMPORT_LIMITS.experiments);
    const experiments = list.map((e, i) => experiment(e, `experiments[${i}]`, notices));
    return { ok: true, experiments, notices };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, message: `Not a valid history file: ${err.message}.` };
    return { ok: false, message: `The file could not be read (${err instanceof Error ? err.name : 'error'}).` };
  }
}
