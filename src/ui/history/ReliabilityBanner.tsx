// What the safety net has to say, above every view: an engine fault with the way to continue, a full
// disk with the way out, a run put back after a reload, and (with _debug=faults) the fault drills.
import { useState, useSyncExternalStore } from 'react';
import type { FaultDrill } from '../../engine/backend/device-watch';
import type { ViewProps } from '../views';
import './history.css';

export function ReliabilityBanner({ pg, settings, onChange, notify }: ViewProps) {
  const rel = pg.reliability;
  const state = useSyncExternalStore(rel.subscribe, rel.getState);
  const [busy, setBusy] = useState(false);
  const { fault, storage, restored, interrupted } = state;
  const saved = rel.persister.savedStep;
  const onPlayground = settings.view === 'playground' || settings.view === 'history';

  const drill = async (d: FaultDrill) => {
    try {
      notify(`Drill: ${await pg.drill(d)}.`);
    } catch (err) {
      notify(`Drill failed: ${(err as Error).message}`);
    }
  };

  const reopenInterrupted = async () => {
    if (!interrupted) return;
    const s = await pg.reopen(interrupted.id);
    onChange({ ...s, view: 'playground', backend: settings.backend, hide: settings.hide });
  };

  return (
    <>
      {fault && (
        <div role="alert" aria-label="Engine fault" className="reliability fault">
          <p>
            <strong>{fault.message}</strong> {fault.advice}
          </p>
          <div className="reliability-actions">
            {fault.fallbacks.map((b, i) => (
              <button
                key={b}
                type="button"
                className={i === 0 ? 'primary' : undefined}
                disabled={busy}
                onClick={() => {
                  setBusy(true);
                  void pg.recover(b).finally(() => setBusy(false));
                }}
              >
                Continue on {b}
                {saved !== null ? ` from step ${saved}` : ' from the start'}
                {fault.expect[b] && <span className="reliability-expect"> ({fault.expect[b]})</span>}
              </button>
            ))}
            {fault.cause === 'out-of-memory' && (
              <button type="button" onClick={() => rel.dismiss('fault')}>
                Dismiss
              </button>
            )}
          </div>
        </div>
      )}
      {storage && (
        <div role="alert" aria-label="Storage problem" className="reliability storage">
          <p>{storage.message}</p>
          {storage.quota && settings.view !== 'history' && (
            <button type="button" onClick={() => onChange({ view: 'history' })}>
              Open History
            </button>
          )}
        </div>
      )}
      {/* A restored playground run is news on the playground (and History), not on the other tabs. */}
      {restored && onPlayground && (
        <div role="status" aria-label="Restored run" className="reliability restored">
          <p>{restored.note}</p>
          <button type="button" aria-label="Dismiss restored note" onClick={() => rel.dismiss('restored')}>
            ×
          </button>
        </div>
      )}
      {interrupted && !restored && (
        <div role="status" aria-label="Interrupted run" className="reliability restored">
          <p>
            An unfinished run, "{interrupted.name}", is saved from an earlier visit with other settings.{' '}
            <button type="button" onClick={() => void reopenInterrupted()}>
              Reopen it
            </button>
          </p>
          <button type="button" aria-label="Dismiss interrupted note" onClick={() => rel.dismiss('interrupted')}>
            ×
          </button>
        </div>
      )}
      {rel.debug && (
        <fieldset className="reliability drills" aria-label="Fault drills">
          <legend>Fault drills (_debug=faults)</legend>
          <button type="button" onClick={() => void drill('lose-device')} disabled={!pg.backend}>
            Simulate GPU device loss
          </button>
          <button type="button" onClick={() => void drill('crash')} disabled={!pg.backend}>
            Simulate engine crash
          </button>
        </fieldset>
      )}
    </>
  );
}
