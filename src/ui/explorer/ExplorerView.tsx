// The loss explorer: why losses behave as they do under imbalance. Every number comes from the engine
// (explorerCurves: computeLoss and tf autodiff on a synthetic image); this view only draws them.
import { useState } from 'react';
import { EXPLORER_DEFAULTS, type Predictor, probeGrid, syntheticLayout } from '../../engine/explorer/synthetic';
import { DEFAULT_LOSS_OPTIONS, LOSSES, type LossId } from '../../domain/losses';
import { runColor } from '../../state/run-colors';
import { formatPercent } from '../format';
import type { ViewProps } from '../views';
import { CurveChart, type Row } from './CurveChart';
import { ExplorerControls } from './ExplorerControls';
import { GdlPanel } from './GdlPanel';
import { useExplorerCurves } from './useExplorerCurves';
import './explorer.css';

const LABELS = Object.fromEntries(LOSSES.map((l) => [l.id, l.label]));
const FRACTION_TICKS = [0.5, 0.1, 0.01, 1e-3, 1e-4, 1e-5];

export function ExplorerView({ pg, settings, onChange }: ViewProps) {
  const losses: LossId[] = settings.losses.length > 0 ? settings.losses : [settings.loss];
  const [predictor, setPredictor] = useState<Predictor>({ ...EXPLORER_DEFAULTS.predictor });
  const curves = useExplorerCurves(pg.explorer, {
    losses,
    fraction: settings.fraction,
    predictor,
    options: settings.lossOptions,
  });
  const layout = syntheticLayout({ fraction: settings.fraction });
  const grid = probeGrid(EXPLORER_DEFAULTS.points);
  // A pinned copy of the probe curves stays on the charts (dashed) to compare settings.
  const [pinned, setPinned] = useState<{ label: string; probe: typeof curves.probe; voxels: number } | null>(null);
  const pinLabel = `${formatPercent(layout.fraction)}, p ${predictor.lesion}/${predictor.background}${
    Object.keys(settings.lossOptions).length
      ? `, ${Object.entries(settings.lossOptions)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`
      : ''
  }`;
  const pinnedIds = pinned ? losses.filter((id) => pinned.probe[id]) : [];
  const series = [
    ...losses.map((id) => ({ key: id, name: id, color: runColor(id) })),
    ...pinnedIds.map((id) => ({
      key: `${id}_pinned`,
      name: `${id} (pinned)`,
      color: runColor(id),
      dash: '4 4',
      width: 1.5,
    })),
  ];

  const probeRows = (side: 'lesion' | 'background', what: 'loss' | 'grad'): Row[] =>
    grid.map((x, k) => {
      const row: Row = { x };
      for (const id of losses) {
        const c = curves.probe[id];
        if (c) row[id] = what === 'loss' ? c[side].loss[k] : c[side].grad[k] * layout.voxels;
        const q = pinned?.probe[id];
        if (q) row[`${id}_pinned`] = what === 'loss' ? q[side].loss[k] : q[side].grad[k] * (pinned?.voxels ?? 1);
      }
      return row;
    });
  const firstSweep = losses.map((id) => curves.sweep[id]).find((s) => s);
  const sweepRows: Row[] = firstSweep
    ? firstSweep.fractions.map((f, i) => {
        const row: Row = { x: f, errorRate: firstSweep.errorRate[i], oneMinusDice: firstSweep.oneMinusDice[i] };
        for (const id of losses) {
          const s = curves.sweep[id];
          if (s) row[id] = s.curves[0].loss[i];
        }
        return row;
      })
    : [];
  const weightType = settings.lossOptions.weightType ?? DEFAULT_LOSS_OPTIONS.gdl.weightType;
  const busy = curves.pending > 0;
  const pMarkLesion = [{ x: predictor.lesion, label: 'predictor' }];
  const pMarkBackground = [{ x: predictor.background, label: 'predictor' }];

  return (
    <section className="explorer" aria-label="Loss explorer">
      <aside className="controls" aria-label="Explorer controls">
        <ExplorerControls
          settings={settings}
          losses={losses}
          onChange={onChange}
          predictor={predictor}
          onPredictor={setPredictor}
        />
      </aside>
      <div className="explorer-main">
        <p className="explorer-status" role="status" aria-label="Explorer status" aria-busy={busy}>
          {!pg.backend
            ? 'Starting the engine…'
            : busy
              ? `Computing… ${curves.pending} piece${curves.pending > 1 ? 's' : ''} to go`
              : `Up to date${curves.last ? ` (engine on ${curves.last.backend}, last piece ${curves.last.ms.toFixed(0)} ms)` : ''}.`}
        </p>
        {curves.errors.length > 0 && (
          <div role="alert" className="explorer-errors">
            {curves.errors.map((e) => (
              <p key={e}>{e}</p>
            ))}
          </div>
        )}
        <details className="explorer-setup" open>
          <summary>What is plotted</summary>
          <p>
            A synthetic image of <strong>N = {layout.voxels.toLocaleString()}</strong> voxels (about one M batch of the
            playground; below 0.01% N grows to 1/fraction so the lesion keeps a voxel), of which{' '}
            <strong>{layout.lesionVoxels.toLocaleString()}</strong> are lesion ({formatPercent(layout.fraction)}). A predictor of
            fixed quality gives foreground probability <strong>{predictor.lesion.toFixed(2)}</strong> to every lesion voxel and{' '}
            <strong>{predictor.background.toFixed(2)}</strong> to every background voxel (background channel 1 − p, a two-class
            softmax).
          </p>
          <p>
            <em>Lesion curves</em>: every lesion voxel's p is set to the x value, the background keeps the predictor's.{' '}
            <em>Background curves</em>: every background voxel's p is set to x, the lesion keeps the predictor's. The loss is the
            engine's <code>computeLoss</code>; the gradient is ∂L/∂pᵢ at one voxel of that class by <code>tf.grad</code> (through
            both channels), times N so its scale does not depend on the image size (cross-entropy gives −1/p at a lesion voxel).
            Gradient descent moves pᵢ against its sign. WCE's weight from the prediction is held constant for the gradient, as in
            training.
          </p>
          {losses.includes('boundary') && (
            <p>
              <em>Boundary loss</em> needs to know where voxels lie, so for it the N voxels form a picture: a disc of 1 mm pixels
              with the lesion a concentric disc at its centre, and φ is the signed distance to the lesion's contour (negative
              inside). Its lesion probe voxel is the lesion's centre, its background probe voxel the one farthest from the lesion
              (about √(N/π) − √(lesion/π) mm), where a false positive costs most. The explorer has no training step: its curves
              are at step 1 of the schedule, weight a = boundaryStart (0 by default: the region loss alone); set boundaryStart and
              boundaryMax to 1 to see the boundary term alone.
            </p>
          )}
        </details>
        <section className="explorer-section" aria-label="Loss and gradient against probability">
          <h2>Loss and gradient against the predicted probability at {formatPercent(layout.fraction)} lesion</h2>
          <p className="explorer-pin" data-control="explorer_pin">
            <button
              type="button"
              disabled={busy && !pinned}
              onClick={() => setPinned(pinned ? null : { label: pinLabel, probe: { ...curves.probe }, voxels: layout.voxels })}
            >
              {pinned ? 'Unpin' : 'Pin these curves'}
            </button>{' '}
            <span className="hint">
              {pinned
                ? `Dashed: pinned at ${pinned.label}. Change an option or the fraction to compare.`
                : 'Keeps a dashed copy of the curves below, to compare after changing an option or the fraction.'}
            </span>
          </p>
          <div className="explorer-grid">
            <CurveChart
              label="Loss against lesion probability"
              caption="Loss while every lesion voxel is predicted p"
              rows={probeRows('lesion', 'loss')}
              series={series}
              xLabel="p on lesion voxels"
              yLabel="loss"
              xDomain={[0, 1]}
              markers={pMarkLesion}
            />
            <CurveChart
              label="Gradient at a lesion voxel"
              caption="N·∂L/∂pᵢ at a lesion voxel (negative: raising p lowers the loss)"
              rows={probeRows('lesion', 'grad')}
              series={series}
              xLabel="p on lesion voxels"
              yLabel="N·∂L/∂pᵢ"
              yScale="symlog"
              xDomain={[0, 1]}
              markers={pMarkLesion}
            />
            <CurveChart
              label="Loss against background probability"
              caption="Loss while every background voxel is predicted p (false-positive level)"
              rows={probeRows('background', 'loss')}
              series={series}
              xLabel="p on background voxels"
              yLabel="loss"
              xDomain={[0, 1]}
              markers={pMarkBackground}
            />
            <CurveChart
              label="Gradient at a background voxel"
              caption="N·∂L/∂pᵢ at a background voxel (positive: lowering p lowers the loss)"
              rows={probeRows('background', 'grad')}
              series={series}
              xLabel="p on background voxels"
              yLabel="N·∂L/∂pᵢ"
              yScale="symlog"
              xDomain={[0, 1]}
              markers={pMarkBackground}
            />
          </div>
        </section>
        <section className="explorer-section" aria-label="Loss against imbalance">
          <h2>The same predictor as the lesion shrinks</h2>
          <CurveChart
            label="Loss against foreground fraction"
            caption={`Loss of the fixed predictor (lesion ${predictor.lesion.toFixed(2)}, background ${predictor.background.toFixed(2)}) from 50% down to 0.001% lesion. Grey dashed: 1 − accuracy and 1 − Dice of its thresholded (p > 0.5) segmentation. A loss that falls towards 0 here calls a predictor that misses the lesion nearly perfect.`}
            rows={sweepRows}
            series={[
              ...series,
              { key: 'errorRate', name: '1 − accuracy', color: '#999', dash: '2 3', width: 1.5 },
              { key: 'oneMinusDice', name: '1 − Dice', color: '#555', dash: '6 3', width: 1.5 },
            ]}
            xLabel="foreground fraction"
            yLabel="loss"
            xScale="log"
            xDomain={[1e-5, 0.5]}
            xTicks={FRACTION_TICKS}
            xFormat={formatPercent}
            reversed
            markers={[{ x: settings.fraction, label: 'chosen' }]}
            height={260}
          />
          <p className="hint">
            {losses.map((id) => LABELS[id]).join(' · ')}. Watch which losses fall towards 0 (their value for a perfect prediction)
            as the lesion shrinks, although the predictor still misses it: they are the ones that stop pushing the network towards
            the lesion at high imbalance.
          </p>
        </section>
        <GdlPanel gdl={curves.gdl} grid={grid} voxels={layout.voxels} predictor={predictor} weightType={weightType} />
      </div>
    </section>
  );
}
