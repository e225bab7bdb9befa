// App shell: header, controls column, viewer, charts and the runs table.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { parseSettings, type Settings } from '../state/settings';
import { raceEtaMs, recentMsPerStep } from '../state/eta';
import { usePlayground, useRuns } from '../state/usePlayground';
import { ChartArea } from './ChartArea';
import { Controls } from './Controls';
import { Header } from './Header';
import { ExportBar } from './io/ExportBar';
import { ReliabilityBanner } from './history/ReliabilityBanner';
import { HiddenControls } from './lessons/HiddenControls';
import { LessonBar } from './lessons/LessonBar';
import { ClassesNote, RunsTable } from './RunsTable';
import { ConfirmRun } from './ConfirmRun';
import { Replicates } from './Replicates';
import { readoutRun, Transport } from './Transport';
import { useShortcuts } from './useShortcuts';
import { ViewerPanel } from './ViewerPanel';
import { UserDataSummary } from './io/UserDataSummary';
import { VIEWS } from './views';

const LAST_K = 50;

export function App() {
  const initial = useMemo(() => parseSettings(window.location.search), []);
  const [settings, setSettings] = useState<Settings>(initial.settings);
  const [notices, setNotices] = useState<string[]>(initial.notices);
  const pg = usePlayground(settings);
  const { runs, snapshots } = useRuns(pg.store);
  const [selected, setSelected] = useState<string | null>(null);
  const [slice, setSlice] = useState<number | null>(null);

  const onChange = useCallback((patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch })), []);
  const depth = pg.data?.display.images[0]?.dims[2] ?? 0;
  const z = slice ?? Math.floor(depth / 2);
  useEffect(() => {
    if (pg.data) pg.setSnapshotSlice(z);
  }, [pg.data, z, pg.setSnapshotSlice]);

  const selectedRun = runs.find((r) => r.id === selected) ?? runs[0] ?? null;
  const readout = readoutRun(runs, selected);
  const snapshot = selectedRun ? (snapshots[selectedRun.id] ?? null) : null;
  const stepNow = selectedRun?.steps.at(-1)?.step ?? 0;
  const totalSteps = selectedRun?.totalSteps ?? settings.steps;
  // Time left and speed from a robust recent rate (median of the last steps), not the last read alone.
  const etaMs = raceEtaMs(runs);
  const msPerStep = selectedRun ? recentMsPerStep(selectedRun.steps) : null;
  const stepsPerSecond = msPerStep ? 1000 / msPerStep : null;

  // A control a teacher hid is not reachable by its shortcut either.
  const shown = (name: string) => !settings.hide.includes(name) && !settings.hide.includes('transport');
  useShortcuts({
    space: () => shown('train') && void (pg.playing ? pg.pause() : pg.train()),
    s: () => shown('single_step') && void pg.step(),
    r: () => shown('reset') && void pg.reset(),
  });

  const notify = useCallback((m: string) => setNotices((n) => [...n.filter((x) => x !== m), m]), []);
  const views = VIEWS.filter((v) => v.id === 'playground' || v.component);
  const activeView = views.find((v) => v.id === settings.view && v.component);
  const ActiveView = activeView?.component;

  const copyLink = useCallback(async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setNotices((n) => [...n.filter((x) => !x.startsWith('Link')), 'Link copied to the clipboard.']);
    } catch {
      setNotices((n) => [...n, `Link: ${window.location.href}`]);
    }
  }, []);

  return (
    <div className="app">
      <Header backend={pg.backend} error={pg.error} onMeasureAgain={pg.measureAgain} />
      {views.length > 1 && (
        <nav className="views" aria-label="Views" data-control="views">
          {views.map((v) => (
            <button
              key={v.id}
              type="button"
              data-control={`tab_${v.id}`}
              aria-current={(activeView?.id ?? 'playground') === v.id ? 'page' : undefined}
              onClick={() => onChange({ view: v.id })}
            >
              {v.label}
            </button>
          ))}
        </nav>
      )}
      {notices.length > 0 && (
        <div role="status" aria-label="Notices" className="notices">
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
          <button type="button" onClick={() => setNotices([])} aria-label="Dismiss notices">
            ×
          </button>
        </div>
      )}
      <ReliabilityBanner pg={pg} settings={settings} onChange={onChange} notify={notify} />
      <ConfirmRun pg={pg} />
      <HiddenControls hide={settings.hide} notify={notify} />
      <LessonBar settings={settings} onChange={onChange} />
      {ActiveView && <ActiveView pg={pg} settings={settings} onChange={onChange} notify={notify} />}
      {/* The hint line keeps its height in every phase, so nothing below it jumps when it changes. */}
      {!ActiveView && (
        <p className="first-hint">
          {runs.length > 0 ? (
            '\u00a0'
          ) : pg.phase === 'ready' ? (
            <>
              Press <kbd>Train</kbd> (or Space) to train{' '}
              {settings.losses.length ? `the ${settings.losses.length} losses side by side` : settings.loss} on a{' '}
              {settings.lesion} phantom; drag the lesion burden down to see which losses break.
            </>
          ) : pg.phase === 'failed' ? (
            '\u00a0'
          ) : (
            'Starting the engine and making the phantom…'
          )}
        </p>
      )}
      <main className="layout" hidden={!!ActiveView}>
        <aside className="controls" aria-label="Controls">
          <Controls
            settings={settings}
            onChange={onChange}
            onRegenerate={() => void pg.regenerate()}
            dataInfo={{
              achievedFraction: pg.data?.achievedFraction ?? null,
              patchImbalance: pg.data?.patchImbalance ?? null,
              busy: pg.phase === 'preparing',
            }}
            activeBackend={pg.backend?.active ?? null}
            stepsPerSecond={stepsPerSecond}
            disabled={pg.playing}
            dataPanel={
              pg.dataSource ? (
                <UserDataSummary
                  data={pg.userData}
                  source={pg.dataSource}
                  onPhantom={() => pg.adoptData(null, null)}
                  disabled={pg.playing}
                />
              ) : undefined
            }
          />
        </aside>
        <section className="main-col">
          <Transport
            playing={pg.playing}
            canStep={!!pg.data}
            step={stepNow}
            totalSteps={totalSteps}
            validationDice={readout?.run.validation.at(-1)?.dice ?? null}
            validationRun={readout ? `${readout.run.label}${readout.best ? ', best' : ''}` : null}
            etaMs={etaMs}
            onTrain={() => void pg.train()}
            onPause={() => void pg.pause()}
            onStep={() => void pg.step()}
            onReset={() => void pg.reset()}
            onCopyLink={() => void copyLink()}
            busy={pg.phase === 'preparing' || pg.phase === 'idle'}
          />
          <div className="work-area">
            <ViewerPanel
              data={pg.data}
              snapshot={snapshot}
              runs={runs.map((r) => ({ id: r.id, label: r.label, color: r.color, snapshot: snapshots[r.id] ?? null }))}
              slice={z}
              onSlice={setSlice}
              runLabel={selectedRun?.label ?? null}
            />
            <section className="charts" aria-label="Charts" data-control="charts">
              <ChartArea
                runs={runs}
                lastK={LAST_K}
                metric={settings.metric}
                onMetric={(metric) => onChange({ metric })}
                baselineDice={pg.data?.baseline?.dice}
              />
            </section>
          </div>
          {pg.data && pg.data.numClasses > 2 && <ClassesNote numClasses={pg.data.numClasses} values={pg.data.classValues} />}
          <RunsTable
            runs={runs}
            lastK={LAST_K}
            metric={settings.metric}
            selected={selectedRun?.id ?? null}
            onSelect={setSelected}
            classValues={pg.data?.classValues}
            columns={settings.cols}
            onColumns={(cols) => onChange({ cols })}
            baseline={pg.data?.baseline}
          />
          {settings.seeds > 1 && <Replicates runs={runs} metric={settings.metric} />}
          <ExportBar pg={pg} runs={runs} selected={selectedRun?.id ?? null} settings={settings} notify={notify} />
        </section>
      </main>
    </div>
  );
}
