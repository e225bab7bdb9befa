// Curves out of the run store: one CSV row per recorded step, and a race as a history file (the
// format the History view reads: settings as a query plus every run's curves), re-importable here.
import { METRIC_IDS } from '../../domain/metrics';
import { exportHistory } from '../../state/persist/history-json';
import { experimentStatus, type ExperimentRecord } from '../../state/persist/records';
import type { RunSummary } from '../../state/store';

const CSV_COLUMNS = ['run', 'label', 'step', 'loss', 'train_dice', 'predicted_fg', 'ms_per_step', 'lr', 'validation_dice'];
/** The challenge metrics after validation_dice (which stays the event's Dice: the mean over foreground classes). */
const METRIC_COLUMNS = METRIC_IDS.filter((id) => id !== 'dice');
const snake = (id: string) => id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const METRIC_CSV_COLUMNS = METRIC_COLUMNS.map((id) => `validation_${snake(id)}`);

/** A CSV field: quoted when it holds a comma, quote or line break. */
function field(v: unknown): string {
  const s = v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Every run's step points with the validation Dice and challenge metrics of that step (empty where none was
 * measured or a metric is undefined); with more than two classes, one more column per foreground class,
 * named by its label value, after them.
 */
export function curvesCsv(runs: readonly RunSummary[], classValues?: readonly number[]): string {
  const classes = Math.max(0, ...runs.flatMap((r) => r.validation.map((v) => v.perClass?.length ?? 0)));
  const perClass = Array.from({ length: classes }, (_, l) => `validation_dice_${classValues?.[l + 1] ?? l + 1}`);
  const lines = [[...CSV_COLUMNS, ...METRIC_CSV_COLUMNS, ...perClass].join(',')];
  for (const r of runs) {
    const val = new Map(r.validation.map((v) => [v.step, v]));
    for (const p of r.steps) {
      const v = val.get(p.step);
      const cells = [r.id, r.label, p.step, p.loss, p.trainDice, p.predictedFg, p.msPerStep, p.lr, v?.dice];
      for (const id of METRIC_COLUMNS) cells.push(v?.metrics?.[id]);
      for (let l = 0; l < classes; l++) cells.push(v?.perClass?.[l]);
      lines.push(cells.map(field).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The current race as a one-experiment history file. */
export function raceJson(params: { runs: readonly RunSummary[]; query: string; backend: string; now?: number }): string {
  const now = params.now ?? Date.now();
  const record: ExperimentRecord = {
    id: `export-${now}`,
    name: `${params.runs.map((r) => r.label).join(' vs ')} (exported)`,
    createdAt: Math.min(now, ...params.runs.map((r) => r.startedAt)),
    updatedAt: now,
    query: params.query,
    backend: params.backend,
    status: experimentStatus(params.runs),
    runs: [...params.runs],
    checkpointStep: null,
  };
  return exportHistory([record], now);
}
