// The playground's settings: data with defaults, parsed from and written back to the URL query.
// Invalid values are dropped (default kept) and reported as notices; parsing never throws.
import { PATCH_PRESET_IDS, PATCH_PRESETS as PAPER_PATCHES } from '../domain/patches';
import { BACKENDS, type BackendChoice } from '../domain/backends';
import { checkLossOptions, LEGACY_OPTION_NAMES, readLegacyOptions } from '../domain/loss-options';
import { LOSS_IDS, type LossId, OPTION_SPECS, ownersOf, PAPER_LOSSES } from '../domain/losses';
import { DEFAULT_DIFFICULTY, DIFFICULTY_IDS, type Difficulty } from '../domain/difficulty';
import { NETWORK_IDS, type NetworkKind } from '../domain/networks';
import { DEFAULT_PHANTOM_SIZE, LESION_KINDS, type LesionKind } from '../domain/phantom';
import { METRIC_IDS, type MetricId } from '../domain/metrics';

export { NETWORK_IDS } from '../domain/networks';
/** The page's views (tabs); each is registered in src/ui/views.tsx. */
export const VIEW_IDS = ['playground', 'explorer', 'lessons', 'sweeps', 'history', 'data'] as const;
export type ViewId = (typeof VIEW_IDS)[number];
export { LESION_KINDS, type LesionKind } from '../domain/phantom';
export { PATCH_PRESET_IDS as PATCH_PRESETS } from '../domain/patches';
/** Patch side and batch of the paper's Table 1 (UNet column). */
export const PATCH_TABLE = {
  S: { patch: PAPER_PATCHES.S.size, batch: PAPER_PATCHES.S.batch },
  M: { patch: PAPER_PATCHES.M.size, batch: PAPER_PATCHES.M.batch },
  L: { patch: PAPER_PATCHES.L.size, batch: PAPER_PATCHES.L.batch },
} as const;
export const PAPER_LRS = [1e-3, 1e-4, 1e-5];
/** Lesion burden slider range: 30% down to 0.001% (proportions). */
export const FRACTION_RANGE = { min: 1e-5, max: 0.3 };

export interface Settings {
  loss: LossId;
  /** Losses raced side by side; empty = a single run of `loss`. */
  losses: LossId[];
  lr: number;
  network: NetworkKind;
  lesion: LesionKind;
  fraction: number;
  noise: number;
  /** Phantom difficulty preset (`difficulty=easy|realistic|hard`). */
  difficulty: Difficulty;
  /** Phantom side in voxels (x and y; z is 3/4 of it): smaller trains and validates faster. */
  size: number;
  /** Preset name or a free patch side in pixels. */
  patch: (typeof PATCH_PRESET_IDS)[number] | number;
  batch: number;
  steps: number;
  seed: number;
  backend: BackendChoice;
  /** Loss options by their option names (epsilon, lambda, weightType, ...); each run gets only those its loss owns. */
  lossOptions: Record<string, string>;
  /** Controls hidden by a teacher's link (`_hide=loss,lr`). */
  hide: string[];
  view: ViewId;
  /** Lesson open in the lessons view or followed from the playground (`lesson=ID`, src/lessons/ID.json); '' for none. */
  lesson: string;
  /** 1-based step of that lesson (`step=N`). */
  step: number;
  /** Warm start: runs begin from this checkpoint of models/index.json (`init=unet2d`); '' for seeded weights. */
  init: string;
  /** Validation metrics shown as runs-table columns (`cols=dice,lesionF1`): a view setting, not part of an experiment. */
  cols: MetricId[];
  /** Validation metric the chart plots (`metric=hd95`): a view setting too. */
  metric: MetricId;
  /** Replicates: each raced loss trains with seeds seed, seed + 1, ... (initial weights; one shared dataset). */
  seeds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  loss: 'gdl',
  // First visit races the paper's four losses: the imbalance story in one click.
  losses: [...PAPER_LOSSES],
  lr: 1e-3,
  network: 'unet2d',
  lesion: 'tumour',
  fraction: 0.005,
  noise: 0.05,
  difficulty: DEFAULT_DIFFICULTY,
  size: DEFAULT_PHANTOM_SIZE,
  patch: 'M',
  batch: 3,
  steps: 300,
  seed: 1,
  backend: 'auto',
  lossOptions: {},
  hide: [],
  view: 'playground',
  lesson: '',
  step: 1,
  init: '',
  cols: ['dice'],
  metric: 'dice',
  seeds: 1,
};

/** Most replicates a race runs per loss. */
export const MAX_SEEDS = 10;

/** Loss option names that may appear in the URL, each checked against its spec. */
export const LOSS_OPTION_KEYS = Object.keys(OPTION_SPECS);
/** Old option names still read from links (with a notice saying what they were read as). */
const LEGACY_KEYS = Object.keys(LEGACY_OPTION_NAMES);

type Parser<T> = (raw: string) => T | undefined;

const num =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const x = raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(x) && x >= min && x <= max ? x : undefined;
  };
const int =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const x = num(min, max)(raw);
    return x !== undefined && Number.isInteger(x) ? x : undefined;
  };
const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : undefined;
const listOf =
  <T extends string>(values: readonly T[]): Parser<T[]> =>
  (raw) => {
    if (raw === '') return [];
    const items = raw.split(',');
    if (!items.every((i) => (values as readonly string[]).includes(i))) return undefined;
    return [...new Set(items)] as T[];
  };
const patchParser: Parser<Settings['patch']> = (raw) => oneOf(PATCH_PRESET_IDS)(raw) ?? int(8, 256)(raw);

interface Field<K extends keyof Settings> {
  parse: Parser<Settings[K]>;
  expect: string;
  write?: (v: Settings[K]) => string;
}

const FIELDS: { [K in Exclude<keyof Settings, 'lossOptions' | 'hide'>]: Field<K> } = {
  loss: { parse: oneOf(LOSS_IDS), expect: `one of ${LOSS_IDS.join(', ')}` },
  losses: {
    parse: listOf(LOSS_IDS),
    expect: `a comma list of ${LOSS_IDS.join(', ')} (empty: one loss)`,
    write: (v) => v.join(','),
  },
  lr: { parse: num(1e-7, 1), expect: 'a number in [1e-7, 1]' },
  network: { parse: oneOf(NETWORK_IDS), expect: `one of ${NETWORK_IDS.join(', ')}` },
  lesion: { parse: oneOf(LESION_KINDS), expect: `one of ${LESION_KINDS.join(', ')}` },
  fraction: { parse: num(FRACTION_RANGE.min, FRACTION_RANGE.max), expect: 'a proportion in [0.00001, 0.3]' },
  noise: { parse: num(0, 0.5), expect: 'a number in [0, 0.5]' },
  difficulty: { parse: oneOf(DIFFICULTY_IDS), expect: `one of ${DIFFICULTY_IDS.join(', ')}` },
  size: { parse: int(32, 192), expect: 'an integer in [32, 192]' },
  patch: { parse: patchParser, expect: 'S, M, L or a side in [8, 256]' },
  batch: { parse: int(1, 32), expect: 'an integer in [1, 32]' },
  steps: { parse: int(1, 100_000), expect: 'an integer in [1, 100000]' },
  seed: { parse: int(0, 2 ** 31 - 1), expect: 'an integer in [0, 2147483647]' },
  backend: { parse: oneOf(['auto', ...BACKENDS] as const), expect: `auto or one of ${BACKENDS.join(', ')}` },
  view: { parse: oneOf(VIEW_IDS), expect: `one of ${VIEW_IDS.join(', ')}` },
  lesson: { parse: (raw) => (/^[a-z0-9-]{1,64}$/.test(raw) ? raw : undefined), expect: 'a lesson id (a-z, 0-9, -)' },
  step: { parse: int(1, 20), expect: 'an integer in [1, 20]' },
  cols: { parse: listOf(METRIC_IDS), expect: `a comma list of ${METRIC_IDS.join(', ')}`, write: (v) => v.join(',') },
  metric: { parse: oneOf(METRIC_IDS), expect: `one of ${METRIC_IDS.join(', ')}` },
  seeds: { parse: int(1, MAX_SEEDS), expect: `an integer in [1, ${MAX_SEEDS}]` },
  init: { parse: (raw) => (/^[a-z0-9][a-z0-9-]{0,39}$/.test(raw) ? raw : undefined), expect: 'a checkpoint id (a-z, 0-9, -)' },
};

export interface ParsedSettings {
  settings: Settings;
  notices: string[];
}

/** Reads settings from a query string; every bad value becomes a notice and keeps its default. */
export function parseSettings(search: string): ParsedSettings {
  const q = new URLSearchParams(search);
  const settings: Settings = { ...DEFAULT_SETTINGS, lossOptions: {}, hide: [], cols: [...DEFAULT_SETTINGS.cols] };
  const notices: string[] = [];
  // _debug=faults turns on the fault drills (src/state/persist/reliability.ts); _measure=all: auto times software backends too.
  const known = new Set<string>([
    ...Object.keys(FIELDS),
    ...LOSS_OPTION_KEYS,
    ...LEGACY_KEYS,
    '_hide',
    '_debug',
    '_measure',
    'lesson',
    'step',
  ]);
  const accepted = new Set<string>();
  for (const [key, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, Field<keyof typeof FIELDS>][]) {
    const raw = q.get(key);
    if (raw === null) continue;
    const value = field.parse(raw);
    if (value === undefined) notices.push(`Ignored ${key}=${truncate(raw)}: expected ${field.expect}.`);
    else {
      (settings as unknown as Record<string, unknown>)[key] = value;
      accepted.add(key);
    }
  }
  // Naming one loss without a list means a single run of it.
  if (accepted.has('loss') && !accepted.has('losses')) settings.losses = [];
  // A preset patch brings its batch unless the URL sets a valid one.
  if (typeof settings.patch === 'string' && !accepted.has('batch')) settings.batch = PATCH_TABLE[settings.patch].batch;
  const raw: Record<string, string> = {};
  for (const key of [...LOSS_OPTION_KEYS, ...LEGACY_KEYS]) {
    const value = q.get(key);
    if (value !== null) raw[key] = value.slice(0, 64);
  }
  const selected = selectedLosses(settings);
  const legacy = readLegacyOptions(raw, selected);
  notices.push(...legacy.notices.map(truncateNotice));
  // An option reaches only the losses that own it: one that no selected loss owns would do nothing.
  for (const [key, value] of Object.entries(legacy.options)) {
    const owners = ownersOf(key);
    const owner = owners.find((id) => selected.includes(id));
    if (!owner) {
      notices.push(
        `Ignored ${key}=${truncate(value)}: none of the selected losses (${selected.join(', ')}) has it; ${owners.join(', ')} ${owners.length > 1 ? 'do' : 'does'}.`,
      );
      continue;
    }
    const problem = checkLossOptions(owner, { [key]: value }).problems[0];
    if (problem) notices.push(`Ignored ${key}=${truncate(value)}: ${problem.message.replace(/^\w+: /, '')}.`);
    else settings.lossOptions[key] = value;
  }
  const hide = q.get('_hide');
  if (hide) settings.hide = hide.split(',').filter((h) => /^[a-zA-Z_]{1,32}$/.test(h));
  for (const key of new Set(q.keys())) if (!known.has(key)) notices.push(`Ignored unknown setting '${truncate(key)}'.`);
  return { settings, notices };
}

/** Writes the settings that differ from the defaults (so links stay short). */
export function serializeSettings(s: Settings): string {
  const q = new URLSearchParams();
  for (const [key, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, Field<keyof typeof FIELDS>][]) {
    const v = s[key];
    const d = DEFAULT_SETTINGS[key];
    if (JSON.stringify(v) === JSON.stringify(d)) continue;
    q.set(key, field.write ? field.write(v as never) : String(v));
  }
  // Only options a selected loss owns: others would be refused by the parser on the way back.
  const selected = selectedLosses(s);
  for (const [k, v] of Object.entries(s.lossOptions)) if (ownersOf(k).some((id) => selected.includes(id))) q.set(k, v);
  if (s.hide.length) q.set('_hide', s.hide.join(','));
  return q.toString();
}

/** The losses a page with these settings trains: the race's list, or the single loss. */
export function selectedLosses(s: Pick<Settings, 'loss' | 'losses'>): LossId[] {
  return s.losses.length > 0 ? [...s.losses] : [s.loss];
}

/** Patch side and batch size, whether from a preset or free values. */
export function patchAndBatch(s: Settings): { patch: number; batch: number } {
  return { patch: typeof s.patch === 'number' ? s.patch : PATCH_TABLE[s.patch].patch, batch: s.batch };
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function truncateNotice(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
