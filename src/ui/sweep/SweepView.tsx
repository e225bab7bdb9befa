// The Sweeps tab: build a grid (or pick a paper preset), run it in the engine worker, and read the
// results the way the paper shows them. Sweeps are stored in IndexedDB and survive reloads.
import type { ViewProps } from '../views';
import { draftToSpec } from '../../state/sweep-draft';
import { SavedSweeps } from './SavedSweeps';
import { SweepBuilder } from './SweepBuilder';
import { SweepProgressPanel } from './SweepProgressPanel';
import { SweepResults } from './SweepResults';
import { useSweeps } from './useSweeps';
import './sweep.css';

export function SweepView({ pg, notify }: ViewProps) {
  const controller = pg.sweeps;
  const state = useSweeps(controller);
  if (!pg.backend) {
    return (
      <main className="sweep-view" aria-label="Sweeps">
        <p role="status" aria-label="Sweeps loading">
          {pg.error ? `The engine did not start: ${pg.error}` : 'Starting the engine…'}
        </p>
      </main>
    );
  }
  const backend = pg.backend?.active ?? null;
  const active = state.records.find((r) => r.id === state.activeId) ?? null;
  const selected = state.records.find((r) => r.id === state.selectedId) ?? null;
  const start = () => {
    const { spec, problems } = draftToSpec(state.draft);
    if (problems.length || !backend) return;
    if (pg.playing) void pg.pause();
    void controller.start(spec, backend);
  };
  return (
    <main className="sweep-view" aria-label="Sweeps">
      <div className="sweep-top">
        <section className="sweep-build" aria-label="New sweep">
          <h2>Sweeps: the paper's grid, at laptop scale</h2>
          <SweepBuilder
            draft={state.draft}
            onDraft={(d) => controller.setDraft(d)}
            backend={backend}
            busy={!!state.activeId}
            onStart={start}
          />
        </section>
        <div className="sweep-side">
          {active && (
            <SweepProgressPanel
              progress={state.progress?.sweepId === active.id ? state.progress : null}
              name={active.name}
              onPause={() => void controller.control('pause')}
              onResume={() => void controller.control('resume')}
              onCancel={() => void controller.control('cancel')}
            />
          )}
          {state.error && (
            <div role="alert" className="sweep-error">
              {state.error}{' '}
              <button type="button" onClick={() => controller.dismissError()}>
                Dismiss
              </button>
            </div>
          )}
          {controller.storageKind === 'memory' && (
            <p className="hint">This browser window has no IndexedDB: sweeps are kept only until the page closes.</p>
          )}
          <SavedSweeps
            records={state.records}
            selectedId={state.selectedId}
            activeId={state.activeId}
            controller={controller}
            backend={backend}
            notify={notify}
          />
        </div>
      </div>
      {selected && <SweepResults key={selected.id} record={selected} />}
    </main>
  );
}
