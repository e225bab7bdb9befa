// The validation metrics by name: ids, labels, units and direction live here once, for the trainer's
// events, the runs table, the charts, exports, History, sweeps and the CLI.

export const METRIC_IDS = [
  'dice',
  'hd95',
  'avd',
  'lesionRecall',
  'lesionPrecision',
  'lesionF1',
  'recallSmall',
  'recallMedium',
  'recallLarge',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

/** One validation's metrics, means over the validation subjects (NaN: not defined, e.g. no lesion of that size). */
export type ValidationMetrics = Record<MetricId, number>;

export interface MetricSpec {
  /** Column and axis label. */
  label: string;
  /** Short column header. */
  short: string;
  /** '' for ratios in [0, 1] (lesion precision can exceed 1, as the challenge defines it). */
  unit: '' | 'mm' | '%';
  higherIsBetter: boolean;
  description: string;
}

export const METRICS: Record<MetricId, MetricSpec> = {
  dice: { label: 'Dice', short: 'Dice', unit: '', higherIsBetter: true, description: 'foreground overlap, 2|R∩P| / (|R| + |P|)' },
  hd95: {
    label: 'HD95 (mm)',
    short: 'HD95',
    unit: 'mm',
    higherIsBetter: false,
    description: '95th-percentile distance between the boundaries',
  },
  avd: { label: 'AVD (%)', short: 'AVD', unit: '%', higherIsBetter: false, description: 'absolute volume difference' },
  lesionRecall: {
    label: 'Lesion recall',
    short: 'L-recall',
    unit: '',
    higherIsBetter: true,
    description: 'reference lesions found / reference lesions',
  },
  lesionPrecision: {
    label: 'Lesion precision',
    short: 'L-prec.',
    unit: '',
    higherIsBetter: true,
    description: 'reference lesions found / predicted components',
  },
  lesionF1: { label: 'Lesion F1', short: 'L-F1', unit: '', higherIsBetter: true, description: '2PR / (P + R)' },
  recallSmall: {
    label: 'Recall, small lesions',
    short: 'R<10',
    unit: '',
    higherIsBetter: true,
    description: 'recall of reference lesions under 10 voxels',
  },
  recallMedium: {
    label: 'Recall, medium lesions',
    short: 'R10-100',
    unit: '',
    higherIsBetter: true,
    description: 'recall of reference lesions of 10 to 100 voxels',
  },
  recallLarge: {
    label: 'Recall, large lesions',
    short: 'R>100',
    unit: '',
    higherIsBetter: true,
    description: 'recall of reference lesions over 100 voxels',
  },
};

export function isMetricId(v: unknown): v is MetricId {
  return typeof v === 'string' && (METRIC_IDS as readonly string[]).includes(v);
}

/** Reads a metrics object from untrusted data (files): every id a number, null read as NaN; undefined if malformed. */
export function readMetrics(raw: unknown): ValidationMetrics | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const out = {} as ValidationMetrics;
  for (const id of METRIC_IDS) {
    const v = (raw as Record<string, unknown>)[id];
    if (v === null) out[id] = Number.NaN;
    else if (typeof v === 'number') out[id] = v;
    else return undefined;
  }
  return out;
}

/** Whether a beats b on this metric (NaN never wins). */
export function isBetter(id: MetricId, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return METRICS[id].higherIsBetter ? a > b : a < b;
}

/** Value for display: mm and % with one decimal, ratios with three; NaN as "n/a". */
export function formatMetric(id: MetricId, v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return 'n/a';
  return METRICS[id].unit === '' ? v.toFixed(3) : v.toFixed(1);
}
