// The viewer with its toolbar: modality, plane, layers with opacity, slice scrubber, voxel readout.
import { useState } from 'react';
import type { DataSummary } from '../engine/api';
import type { Snapshot } from '../state/store';
import {
  DEFAULT_LAYERS,
  type LayerState,
  SliceViewer,
  type ViewerLayers,
  type ViewPlane,
  type VoxelInfo,
} from '../viewer/SliceViewer';

export interface ViewerPanelProps {
  data: DataSummary | null;
  snapshot: Snapshot | null;
  slice: number;
  onSlice: (z: number) => void;
  runLabel: string | null;
}

function LayerToggle({ name, state, onChange }: { name: string; state: LayerState; onChange: (s: LayerState) => void }) {
  return (
    <span className="layer">
      <label className="inline">
        <input type="checkbox" checked={state.on} onChange={(e) => onChange({ ...state, on: e.target.checked })} />
        {name}
      </label>
      <input
        type="range"
        aria-label={`${name} opacity`}
        min={0}
        max={1}
        step={0.05}
        value={state.opacity}
        onChange={(e) => onChange({ ...state, opacity: Number(e.target.value) })}
      />
    </span>
  );
}

export function ViewerPanel({ data, snapshot, slice, onSlice, runLabel }: ViewerPanelProps) {
  const [modality, setModality] = useState(0);
  const [plane, setPlane] = useState<ViewPlane>('axial');
  const [layers, setLayers] = useState<ViewerLayers>(DEFAULT_LAYERS);
  const [voxel, setVoxel] = useState<VoxelInfo | null>(null);
  const images = data?.display.images ?? [];
  const volume = images[Math.min(modality, images.length - 1)] ?? null;
  const depth = volume?.dims[2] ?? 1;
  const prediction = snapshot ? { z: slice, height: snapshot.height, width: snapshot.width, probs: snapshot.probs } : null;
  return (
    <div className="viewer-panel">
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer controls">
        <label>
          Image
          <select value={modality} onChange={(e) => setModality(Number(e.target.value))}>
            {(data?.display.modalities ?? []).map((m, i) => (
              <option key={m} value={i}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          View
          <select value={plane} onChange={(e) => setPlane(e.target.value as ViewPlane)}>
            {(['axial', 'coronal', 'sagittal', 'multiplanar'] as const).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <LayerToggle name="Reference" state={layers.reference} onChange={(reference) => setLayers({ ...layers, reference })} />
        <LayerToggle
          name="Prediction"
          state={layers.prediction}
          onChange={(s) => setLayers({ ...layers, prediction: { ...layers.prediction, ...s } })}
        />
        <label>
          as
          <select
            value={layers.prediction.mode}
            onChange={(e) =>
              setLayers({ ...layers, prediction: { ...layers.prediction, mode: e.target.value as 'heat' | 'binary' } })
            }
          >
            <option value="heat">probability</option>
            <option value="binary">mask</option>
          </select>
        </label>
        <LayerToggle name="Errors" state={layers.errors} onChange={(errors) => setLayers({ ...layers, errors })} />
      </div>
      <section className="viewer-pane" aria-label="Viewer">
        <SliceViewer
          volume={volume}
          label={data?.display.label ?? null}
          prediction={prediction}
          layers={layers}
          plane={plane}
          slice={slice}
          onVoxel={setVoxel}
        />
        {layers.errors.on && (
          <div className="legend-errors" aria-hidden>
            <span className="tp">TP</span> <span className="fp">FP</span> <span className="fn">FN</span>
          </div>
        )}
      </section>
      <div className="viewer-footer">
        <label className="slice">
          Slice <output aria-label="Slice">{slice}</output>
          <input
            type="range"
            aria-label="Axial slice"
            min={0}
            max={depth - 1}
            value={slice}
            onChange={(e) => onSlice(Number(e.target.value))}
          />
        </label>
        <output className="voxel" aria-live="polite" aria-label="Voxel">
          {voxel
            ? `voxel (${voxel.voxel.join(', ')}): intensity ${voxel.intensity.toFixed(2)}, label ${voxel.label ?? '–'}, p(lesion) ${
                voxel.probability === null ? '–' : voxel.probability.toFixed(3)
              }`
            : 'Click a voxel to read it.'}
        </output>
        {runLabel && <span className="hint">prediction of {runLabel}</span>}
      </div>
    </div>
  );
}
