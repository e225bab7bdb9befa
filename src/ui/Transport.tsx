// Train / Pause / Step / Reset, the live readouts, and progress with time left.
import type { RunSummary } from '../state/store';
import { formatDuration } from './format';

/**
 * The run whose validation Dice the header shows: the one the user picked, else the best by its last
 * validation Dice (so a race's leader is shown, not its first run), else the first.
 */
export function readoutRun(runs: readonly RunSummary[], picked: string | null): { run: RunSummary; best: boolean } | null {
  const chosen = runs.find((r) => r.id === picked);
  if (chosen) return { run: chosen, best: false };
  const dice = (r: RunSummary) => r.validation.at(-1)?.dice ?? Number.NaN;
  const scored = runs.filter((r) => !Number.isNaN(dice(r)));
  if (scored.length === 0) return runs[0] ? { run: runs[0], best: false } : null;
  return { run: scored.reduce((a, r) => (dice(r) > dice(a) ? r : a)), best: runs.length > 1 };
}

export interface TransportProps {
  playing: boolean;
  canStep: boolean;
  step: number;
  totalSteps: number;
  validationDice: number | null;
  /** Which run the validation Dice is of ("GDL", or "GDL, best" when no run is picked). */
  validationRun?: string | null;
  etaMs: number | null;
  onTrain: () => void;
  onPause: () => void;
  onStep: () => void;
  onReset: () => void;
  onCopyLink: () => void;
  busy: boolean;
}

export function Transport(p: TransportProps) {
  return (
    <div className="transport" role="toolbar" aria-label="Training controls" data-control="transport">
      {p.playing ? (
        <button type="button" data-control="train" onClick={p.onPause} aria-keyshortcuts="Space">
          Pause
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          data-control="train"
          onClick={p.onTrain}
          aria-keyshortcuts="Space"
          disabled={p.busy}
        >
          Train
        </button>
      )}
      <button
        type="button"
        data-control="single_step"
        onClick={p.onStep}
        aria-keyshortcuts="S"
        disabled={p.playing || !p.canStep || p.busy}
      >
        Step
      </button>
      <button type="button" data-control="reset" onClick={p.onReset} aria-keyshortcuts="R">
        Reset
      </button>
      <span className="readouts">
        <label>
          Step <output aria-label="Step">{p.step}</output>
        </label>{' '}
        / {p.totalSteps}
        <progress value={p.step} max={Math.max(1, p.totalSteps)} aria-label="Progress" />
        <label>
          Validation Dice{' '}
          <output aria-label="Validation Dice">{p.validationDice === null ? '–' : p.validationDice.toFixed(3)}</output>
        </label>
        {p.validationRun && (
          <output className="readout-run" aria-label="Validation run">
            ({p.validationRun})
          </output>
        )}
        {p.etaMs !== null && p.playing && <span className="eta">about {formatDuration(p.etaMs)} left</span>}
      </span>
      <button type="button" data-control="copy_link" onClick={p.onCopyLink}>
        Copy link
      </button>
    </div>
  );
}
