// Loss options: the validator (defaults filled; numbers and booleans or their query-string forms;
// unknown or out-of-range values named), optionsFor (only what a loss owns) and the old option names.
import { EngineError } from './errors';
import { DEFAULT_LOSS_OPTIONS, type FieldSpec, isLossId, LOSS_IDS, OPTION_SPECS, type OptionName, ownedOptions } from './losses';
import type { LossId, LossOptionsMap } from './loss-option-types';

export interface LossOptionProblem {
  field: string;
  message: string;
}

/** An EngineError with code 'invalid-options', so it crosses the worker with its problems. */
export class LossOptionsError extends EngineError {
  declare readonly problems: LossOptionProblem[];
  constructor(problems: LossOptionProblem[]) {
    super('invalid-options', problems.map((p) => p.message).join('; '), { problems, name: 'LossOptionsError' });
  }
}

export function describeSpec(spec: FieldSpec): string {
  if (spec.kind === 'number')
    return `${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}${spec.maxExclusive ? ')' : ']'}`;
  if (spec.kind === 'list')
    return `'' or a comma list of ${spec.square ? 'C × C (4, 9, …)' : 'C ≥ 2'} numbers in [${spec.min}, ${spec.max}]`;
  if (spec.kind === 'boolean') return 'true or false';
  return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}`;
}

/** The parsed value, or undefined when it does not satisfy the spec. */
export function parseOptionValue(spec: FieldSpec, raw: unknown): number | boolean | string | undefined {
  if (spec.kind === 'number') {
    const x = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    const inRange = x >= spec.min && (spec.maxExclusive ? x < spec.max : x <= spec.max);
    return Number.isFinite(x) && inRange && (!spec.integer || Number.isInteger(x)) ? x : undefined;
  }
  if (spec.kind === 'list') return parseList(spec, raw);
  if (spec.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return undefined;
  }
  return typeof raw === 'string' && spec.values.includes(raw) ? raw : undefined;
}

/** A list option in its URL form ('' or '1,2.5,3'); arrays of numbers are accepted and written so. */
function parseList(spec: { min: number; max: number; square?: boolean }, raw: unknown): string | undefined {
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  if (typeof text !== 'string') return undefined;
  if (text.trim() === '') return '';
  const xs = text.split(',').map((t) => (t.trim() === '' ? Number.NaN : Number(t)));
  const side = Math.round(Math.sqrt(xs.length));
  const sized = spec.square ? side >= 2 && side * side === xs.length : xs.length >= 2;
  return sized && xs.every((x) => Number.isFinite(x) && x >= spec.min && x <= spec.max) ? xs.join(',') : undefined;
}

/** The numbers of a list option ('' gives null): what the engine checks against C at run time. */
export function listValues(text: string): number[] | null {
  return text.trim() === '' ? null : text.split(',').map(Number);
}

/** Constraints across fields, checked on the merged options. */
function crossCheck(id: LossId, o: Record<string, unknown>): LossOptionProblem[] {
  if (id === 'tversky' && o.tverskyAlpha === 0 && o.tverskyBeta === 0) {
    return [
      { field: 'tverskyBeta', message: 'tversky: tverskyAlpha and tverskyBeta cannot both be 0 (the loss would be constant)' },
    ];
  }
  if (id === 'dice_ce' && o.diceWeight === 0 && o.ceWeight === 0) {
    return [{ field: 'ceWeight', message: 'dice_ce: diceWeight and ceWeight cannot both be 0' }];
  }
  if (id === 'exp_log' && o.diceWeight === 0 && o.ceWeight === 0) {
    return [{ field: 'ceWeight', message: 'exp_log: diceWeight and ceWeight cannot both be 0' }];
  }
  if ((id === 'dice_focal' || id === 'gdl_focal') && o.diceWeight === 0 && o.focalWeight === 0) {
    return [{ field: 'focalWeight', message: `${id}: diceWeight and focalWeight cannot both be 0` }];
  }
  if (id === 'focal_tversky' && o.tverskyAlpha === 0 && o.tverskyBeta === 0) {
    return [{ field: 'tverskyBeta', message: 'focal_tversky: tverskyAlpha and tverskyBeta cannot both be 0' }];
  }
  return [];
}

/** Lenient: keeps every valid value, drops the others to their defaults and lists why. */
export function checkLossOptions<I extends LossId>(
  id: I,
  partial?: Partial<LossOptionsMap[I]> | Record<string, unknown>,
): { options: LossOptionsMap[I]; problems: LossOptionProblem[] } {
  if (!isLossId(id))
    throw new LossOptionsError([{ field: 'id', message: `unknown loss id '${String(id)}' (valid: ${LOSS_IDS.join(', ')})` }]);
  const defaults = DEFAULT_LOSS_OPTIONS[id] as unknown as Record<string, unknown>;
  const owned = ownedOptions(id) as readonly string[];
  const merged: Record<string, unknown> = { ...defaults };
  const problems: LossOptionProblem[] = [];
  for (const [field, raw] of Object.entries(partial ?? {})) {
    if (raw === undefined) continue;
    if (!owned.includes(field)) {
      problems.push({ field, message: `${id}: unknown option '${field}' (valid: ${owned.join(', ')})` });
      continue;
    }
    const spec = OPTION_SPECS[field as OptionName];
    const value = parseOptionValue(spec, raw);
    if (value === undefined)
      problems.push({ field, message: `${id}: ${field} must be ${describeSpec(spec)}, got ${JSON.stringify(raw)}` });
    else merged[field] = value;
  }
  const cross = crossCheck(id, merged);
  for (const c of cross) merged[c.field] = defaults[c.field];
  return { options: merged as unknown as LossOptionsMap[I], problems: [...problems, ...cross] };
}

/** Strict: defaults filled in; throws LossOptionsError listing every unknown or out-of-range value. */
export function resolveLossOptions<I extends LossId>(
  id: I,
  partial?: Partial<LossOptionsMap[I]> | Record<string, unknown>,
): LossOptionsMap[I] {
  const { options, problems } = checkLossOptions(id, partial);
  if (problems.length > 0) throw new LossOptionsError(problems);
  return options;
}

/** The subset of a shared option bag that this loss owns: what a race, sweep or lesson hands each loss. */
export function optionsFor<V>(id: LossId, options: Readonly<Record<string, V>>): Record<string, V> {
  const owned = ownedOptions(id) as readonly string[];
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && owned.includes(k)));
}

/** Option names of earlier versions, by the loss that now owns each meaning. */
export const LEGACY_OPTION_NAMES: Readonly<Record<string, Partial<Record<LossId, OptionName>>>> = {
  // 'alpha' was focal's foreground weight and Tversky's false-positive weight at once.
  alpha: { focal: 'focalAlpha', tversky: 'tverskyAlpha' },
  beta: { tversky: 'tverskyBeta' },
};

export interface LegacyReading {
  /** The options with old names replaced by the current ones of the given losses. */
  options: Record<string, string>;
  /** One sentence per old name: what it was read as, or why it was dropped. */
  notices: string[];
}

/** Renames old option names for the losses in use (a name a new one already sets is dropped). */
export function readLegacyOptions(options: Readonly<Record<string, string>>, losses: readonly LossId[]): LegacyReading {
  const out: Record<string, string> = { ...options };
  const notices: string[] = [];
  for (const [old, byLoss] of Object.entries(LEGACY_OPTION_NAMES)) {
    const raw = out[old];
    if (raw === undefined) continue;
    delete out[old];
    const targets = [...new Set(losses.map((l) => byLoss[l]).filter((t): t is OptionName => t !== undefined))];
    const read = targets.filter((t) => out[t] === undefined);
    for (const t of read) out[t] = raw;
    if (read.length > 0)
      notices.push(`Read ${old}=${raw} as ${read.map((t) => `${t}=${raw}`).join(' and ')} ('${old}' is an old name).`);
    else if (targets.length > 0)
      notices.push(`Ignored ${old}=${raw}: ${targets.join(' and ')} already set ('${old}' is an old name).`);
    else
      notices.push(
        `Ignored ${old}=${raw}: an old name of ${Object.values(byLoss).join(' / ')}, which no selected loss has (${Object.keys(byLoss).join(', ')} do).`,
      );
  }
  return { options: out, notices };
}
