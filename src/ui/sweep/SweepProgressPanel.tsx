// The running sweep: progress bar, rate and time left, pause / resume / cancel.
import type { SweepProgress } from '../../domain/sweep/types';
import { formatDuration } from '../format';

export function SweepProgressPanel(p: {
  progress: SweepProgress | null;
  name: string;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}) {
  const pr = p.progress;
  const paused = pr?.state === 'paused';
  const pct = pr && pr.stepsTotal > 0 ? Math.round((100 * pr.stepsDone) / pr.stepsTotal) : 0;
  const parts = pr
    ? [
        paused ? 'Paused' : 'Running',
        `${pr.runsDone} of ${pr.runsTotal} runs`,
        `${pct}%`,
        pr.msPerStep ? `${pr.msPerStep.toFixed(0)} ms per run-step` : null,
        pr.etaMs !== null && !paused ? `about ${formatDuration(pr.etaMs)} left` : null,
        pr.current,
      ]
    : ['Starting…'];
  return (
    <section className="sweep-progress" aria-label="Running sweep">
      <div className="sweep-progress-head">
        <strong>{p.name}</strong>
        <progress aria-label="Sweep progress" max={100} value={pct} />
        <div role="toolbar" aria-label="Sweep controls" className="sweep-buttons">
          {paused ? (
            <button type="button" className="primary" onClick={p.onResume}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={p.onPause} disabled={!pr}>
              Pause
            </button>
          )}
          <button type="button" onClick={p.onCancel}>
            Cancel
          </button>
        </div>
      </div>
      <output aria-label="Sweep status">{parts.filter(Boolean).join(' · ')}</output>
    </section>
  );
}
