// App shell: header with the active backend, controls column, viewer and chart area.
import { useMemo } from 'react';
import { parseSettings } from '../state/url';
import { useEngine } from '../state/useEngine';
import { SliceViewer } from '../viewer/SliceViewer';
import { ChartArea } from './ChartArea';
import { Header } from './Header';

export function App() {
  const { settings, notices } = useMemo(() => parseSettings(window.location.search), []);
  const engine = useEngine(settings.backend);
  return (
    <div className="app">
      <Header backend={engine.backend?.active ?? null} error={engine.error} />
      {notices.length > 0 && (
        <div role="status" aria-label="Notices" className="notices">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      <main className="layout">
        <aside className="controls" aria-label="Controls">
          <h2>Controls</h2>
          <p className="hint">Requested backend: {settings.backend}</p>
        </aside>
        <section className="viewer-pane" aria-label="Viewer">
          <SliceViewer volume={engine.volume} />
        </section>
        <section className="charts" aria-label="Charts">
          <ChartArea series={[]} />
        </section>
      </main>
    </div>
  );
}
