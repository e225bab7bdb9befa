// The shipped checkpoints (models/index.json): how each was made and how good it is, with a warm
// start for new runs and inference-only segmentation of the loaded volume. Props in, callbacks out.
import type { CheckpointEntry, CheckpointManifest } from '../../engine/io/manifest';

export interface CheckpointPanelProps {
  manifest: CheckpointManifest | null;
  error: string | null;
  /** Checkpoint the playground's runs start from ('' = seeded weights). */
  init: string;
  busy: boolean;
  /** What segmenting works on, in words. */
  target: string;
  onStart: (c: CheckpointEntry) => void;
  onSegment: (c: CheckpointEntry) => void;
  onClearInit: () => void;
}

function settingsText(c: CheckpointEntry): string {
  const s = c.settings;
  const pct = typeof s.fraction === 'number' ? `${(s.fraction * 100).toFixed(2)}%` : '';
  return `phantom ${s.shape ?? s.size} ${s.lesion ?? ''} ${pct}, patch ${s.patch} x ${s.batch}, ${s.loss} lr ${s.lr}, ${s.steps} steps, seed ${c.seed}`;
}

export function CheckpointPanel(p: CheckpointPanelProps) {
  return (
    <section className="panel" aria-label="Pretrained checkpoints">
      <h2>Pretrained checkpoints</h2>
      <p className="privacy-note">
        One small network per architecture, trained on the default phantom by the command shown (reproducible: same command, same
        weights). Start runs from one (warm start), or segment {p.target} with it without training.
      </p>
      {p.error && (
        <p className="io-problems" role="alert">
          {p.error}
        </p>
      )}
      {p.init && (
        <p role="status" aria-label="Warm start">
          New runs start from checkpoint <strong>{p.init}</strong>.{' '}
          <button type="button" onClick={p.onClearInit}>
            Use seeded weights
          </button>
        </p>
      )}
      {p.manifest && (
        <table className="io-table" aria-label="Checkpoints">
          <thead>
            <tr>
              <th>Checkpoint</th>
              <th>Validation Dice</th>
              <th>Parameters</th>
              <th>Size</th>
              <th>Trained with</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {p.manifest.checkpoints.map((c) => (
              <tr key={c.id}>
                <td>
                  <strong>{c.id}</strong>
                  <br />
                  <span className="hint">{c.modalities.join(', ')}</span>
                </td>
                <td className="num">{c.validationDice.toFixed(3)}</td>
                <td className="num">{c.params.toLocaleString('en-US')}</td>
                <td className="num">{(c.bytes / 1024).toFixed(0)} KB</td>
                <td>
                  {settingsText(c)}
                  <br />
                  <code>{c.command}</code>
                </td>
                <td>
                  <div className="io-actions">
                    <button type="button" onClick={() => p.onStart(c)} disabled={p.busy} aria-label={`Start runs from ${c.id}`}>
                      Start runs from it
                    </button>
                    <button type="button" onClick={() => p.onSegment(c)} disabled={p.busy} aria-label={`Segment with ${c.id}`}>
                      Segment
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
