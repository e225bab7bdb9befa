// Train / Pause / Step / Reset, the live readouts, and progress with time left.
import { formatDuration } from './format';

export interface TransportProps {
  playing: boolean;
  canStep: boolean;
  step: number;
  totalSteps: number;
  validationDice: number | null;
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
        {p.etaMs !== null && p.playing && <span className="eta">about {formatDuration(p.etaMs)} left</span>}
      </span>
      <button type="button" data-control="copy_link" onClick={p.onCopyLink}>
        Copy link
      </button>
    </div>
  );
}
