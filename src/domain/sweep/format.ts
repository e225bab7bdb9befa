// The sweep file: what the Node command writes and the app exports and imports. Imports are checked
// field by field, and every problem is reported with its path, never thrown.
import { readMetrics } from '../metrics';
import { SWEEP_RESULT_STATUSES } from '../runs';
import { failureOf } from './stats';
import { assembleTables } from './table';
import { cellKey, checkSweepSpec, planSweep, SWEEP_LIMITS } from './plan';
import { type HeatmapData, sweepPlots } from './plot';
import { afterReload } from './record';
import { CURVE_POINTS, type GroupInfo, type RunResult, type SweepRecord } from './types';

export const SWEEP_FILE_FORMAT = 'segmentation-loss-playground/sweep';
export const SWEEP_FILE_VERSION = 1;
/** Imports larger than this are refused before parsing. */
export const MAX_SWEEP_FILE_CHARS = 50_000_000;

export interface SweepFile {
  format: typeof SWEEP_FILE_FORMAT;
  version: typeof SWEEP_FILE_VERSION;
  record: SweepRecord;
  /** Derived plot data (heat maps and isolines per loss and burden), for other tools; the app recomputes it. */
  plots: HeatmapData[];
}

export function toSweepFile(params: { record: SweepRecord }): SweepFile {
  const { record } = params;
  const tables = assembleTables({ spec: record.spec, results: record.results });
  return { format: SWEEP_FILE_FORMAT, version: SWEEP_FILE_VERSION, record, plots: sweepPlots({ tables }) };
}

export type ParsedSweepFile = { ok: true; record: SweepRecord; warnings: string[] } | { ok: false; errors: string[] };

const STATES = ['running', 'paused', 'done', 'cancelled', 'error', 'interrupted'];
const FINISHED: readonly string[] = SWEEP_RESULT_STATUSES;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isDice = (v: unknown) => isFiniteNum(v) && v >= 0 && v <= 1;

function checkResult(r: unknown, at: string, keys: Set<string>, steps: number, errors: string[]): r is RunResult {
  const before = errors.length;
  if (!isObj(r)) {
    errors.push(`${at}: expected an object`);
    return false;
  }
  if (typeof r.key !== 'string' || !keys.has(r.key))
    errors.push(`${at}.key: '${String(r.key).slice(0, 60)}' is not a run of this sweep's grid`);
  else if (cellKey(r as unknown as RunResult) !== r.key)
    errors.push(`${at}: loss/lr/patch/burden/seed do not match its key '${r.key}'`);
  if (typeof r.status !== 'string' || !FINISHED.includes(r.status))
    errors.push(`${at}.status: expected one of ${FINISHED.join(', ')}`);
  if (!Number.isInteger(r.step) || (r.step as number) < 0 || (r.step as number) > steps)
    errors.push(`${at}.step: expected an integer in [0, ${steps}]`);
  // The field is named `window` in the file format; a local name keeps it from reading like the DOM global.
  const dice = r.window;
  if (!Array.isArray(dice) || dice.length > steps) errors.push(`${at}.window: expected an array of at most ${steps} Dice values`);
  else {
    const bad = dice.findIndex((v) => !isDice(v));
    if (bad >= 0) errors.push(`${at}.window[${bad}]: expected a Dice value in [0, 1], got ${JSON.stringify(dice[bad])}`);
  }
  if (!Array.isArray(r.curve) || r.curve.length > CURVE_POINTS || !r.curve.every(isDice))
    errors.push(`${at}.curve: expected at most ${CURVE_POINTS} Dice values in [0, 1]`);
  if (r.message !== undefined && typeof r.message !== 'string') errors.push(`${at}.message: expected text`);
  // Files written before the metrics have no validation; NaN travels as null and is read back as NaN.
  if (r.validation !== undefined) {
    const list = Array.isArray(r.validation) ? r.validation.map((v) => (isObj(v) ? readMetrics(v.metrics) : undefined)) : null;
    const bad = list ? list.findIndex((m, i) => !m || !Number.isInteger((r.validation as { step: unknown }[])[i].step)) : 0;
    if (!list || bad >= 0) errors.push(`${at}.validation${list ? `[${bad}]` : ''}: expected { step, metrics } with every metric`);
    else r.validation = list.map((metrics, i) => ({ step: (r.validation as { step: number }[])[i].step, metrics }));
  }
  return errors.length === before;
}

function checkGroup(g: unknown): g is GroupInfo {
  if (!isObj(g)) return false;
  return (
    typeof g.key === 'string' &&
    typeof g.patch === 'string' &&
    [g.burden, g.seed, g.side, g.batch, g.patchImbalance, g.achievedFraction].every(isFiniteNum) &&
    (g.baselineDice === undefined || isDice(g.baselineDice))
  );
}

/** Reads a sweep file; on failure lists up to 12 problems, each naming where it is. */
export function parseSweepFile(text: string): ParsedSweepFile {
  if (text.length > MAX_SWEEP_FILE_CHARS)
    return { ok: false, errors: [`file too large (${text.length} characters; at most ${MAX_SWEEP_FILE_CHARS})`] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`not valid JSON: ${err instanceof Error ? err.message : String(err)}`] };
  }
  if (!isObj(data) || data.format !== SWEEP_FILE_FORMAT)
    return { ok: false, errors: [`not a sweep file: expected "format": "${SWEEP_FILE_FORMAT}"`] };
  if (data.version !== SWEEP_FILE_VERSION)
    return {
      ok: false,
      errors: [
        `unsupported version ${String(JSON.stringify(data.version)).slice(0, 40)}: this app reads version ${SWEEP_FILE_VERSION}`,
      ],
    };
  const rec = data.record;
  if (!isObj(rec)) return { ok: false, errors: ['record: expected an object'] };
  const errors: string[] = [];
  const warnings: string[] = [];
  if (typeof rec.id !== 'string' || !/^[\w.:-]{1,100}$/.test(rec.id))
    errors.push('record.id: expected 1-100 letters, digits or - _ . :');
  if (typeof rec.name !== 'string' || rec.name.length > 120)
    errors.push('record.name: expected a text of at most 120 characters');
  for (const k of ['createdAt', 'updatedAt'])
    if (typeof rec[k] !== 'string' || Number.isNaN(Date.parse(rec[k] as string)))
      errors.push(`record.${k}: expected an ISO date`);
  if (typeof rec.state !== 'string' || !STATES.includes(rec.state))
    errors.push(`record.state: expected one of ${STATES.join(', ')}`);
  if (typeof rec.backend !== 'string' || rec.backend.length > 40) errors.push('record.backend: expected a backend name');
  if (!isFiniteNum(rec.elapsedMs) || rec.elapsedMs < 0) errors.push('record.elapsedMs: expected a non-negative number');
  if (!isObj(rec.spec)) return { ok: false, errors: [...errors, 'record.spec: expected an object'] };
  const specProblems = checkSweepSpec(rec.spec as unknown as SweepRecord['spec']);
  errors.push(...specProblems.map((p) => `record.spec: ${p}`));
  if (specProblems.length === 0) {
    const spec = rec.spec as unknown as SweepRecord['spec'];
    const keys = new Set(planSweep(spec).cells.map((c) => c.key));
    if (!Array.isArray(rec.results) || rec.results.length > SWEEP_LIMITS.maxRuns)
      errors.push('record.results: expected an array of runs');
    else {
      const seen = new Set<string>();
      rec.results.forEach((r, i) => {
        if (!checkResult(r, `record.results[${i}]`, keys, spec.steps, errors)) return;
        if (seen.has(r.key)) errors.push(`record.results[${i}]: run '${r.key}' appears twice`);
        seen.add(r.key);
        const { window: dice } = r;
        if (failureOf(r.status) === null && dice.length < Math.min(spec.lastK, r.step))
          warnings.push(`run '${r.key}' has fewer window values than the last ${spec.lastK} steps`);
      });
    }
  }
  if (!Array.isArray(rec.groups)) errors.push('record.groups: expected an array');
  const groups = Array.isArray(rec.groups) ? rec.groups.filter(checkGroup) : [];
  if (Array.isArray(rec.groups) && groups.length < rec.groups.length)
    warnings.push(`${rec.groups.length - groups.length} malformed data-group entries were dropped`);
  if (errors.length > 0) {
    const shown = errors.slice(0, 12);
    if (errors.length > 12) shown.push(`… and ${errors.length - 12} more problems`);
    return { ok: false, errors: shown };
  }
  const record = { ...(rec as unknown as SweepRecord), groups };
  return { ok: true, record: afterReload(record), warnings };
}
