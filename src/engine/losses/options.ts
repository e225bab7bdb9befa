// The validator the URL layer uses: fills defaults, accepts numbers/booleans or their string forms
// (query strings), rejects unknown or out-of-range values with a message naming the field. tf-free.
import { DEFAULT_LOSS_OPTIONS, type FieldSpec, isLossId, LOSS_FIELD_SPECS, LOSS_IDS } from './catalog';
import type { LossId, LossOptionsMap } from './option-types';

export interface LossOptionProblem {
  field: string;
  message: string;
}

export class LossOptionsError extends Error {
  constructor(readonly problems: LossOptionProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'LossOptionsError';
  }
}

function describeSpec(spec: FieldSpec): string {
  if (spec.kind === 'number') return `a number in [${spec.min}, ${spec.max}]`;
  if (spec.kind === 'boolean') return 'true or false';
  return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}`;
}

/** The parsed value, or undefined when it does not satisfy the spec. */
function parseField(spec: FieldSpec, raw: unknown): number | boolean | string | undefined {
  if (spec.kind === 'number') {
    const x = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    return Number.isFinite(x) && x >= spec.min && x <= spec.max ? x : undefined;
  }
  if (spec.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return undefined;
  }
  return typeof raw === 'string' && spec.values.includes(raw) ? raw : undefined;
}

/** Constraints across fields, checked on the merged options. */
function crossCheck(id: LossId, o: Record<string, unknown>): LossOptionProblem[] {
  if (id === 'tversky' && o.alpha === 0 && o.beta === 0) {
    return [{ field: 'beta', message: 'tversky: alpha and beta cannot both be 0 (the loss would be constant)' }];
  }
  if (id === 'dice_ce' && o.diceWeight === 0 && o.ceWeight === 0) {
    return [{ field: 'ceWeight', message: 'dice_ce: diceWeight and ceWeight cannot both be 0' }];
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
  const merged: Record<string, unknown> = { ...defaults };
  const problems: LossOptionProblem[] = [];
  for (const [field, raw] of Object.entries(partial ?? {})) {
    if (raw === undefined) continue;
    if (!(field in defaults)) {
      problems.push({ field, message: `${id}: unknown option '${field}' (valid: ${Object.keys(defaults).join(', ')})` });
      continue;
    }
    const spec = LOSS_FIELD_SPECS[field];
    const value = parseField(spec, raw);
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
