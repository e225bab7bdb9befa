// The viewer with its toolbar: modality, plane, layers with opacity, slice scrubber, voxel readout.
import { useEffect, useMemo, useState } from 'react';
import type { DataSummary, VolumeData } from '../engine/api';
import type { FileGrid } from '../engine/io/api';
import type { Snapshot } from '../state/store';
import {
  DEFAULT_LAYERS,
  type LayerState,
  SliceViewer,
  type ViewerLayers,
  type ViewPlane,
  type VoxelInfo,
} from '../viewer/SliceViewer';
import { whereText } from './voxel-where';

export interface ViewerPanelProps {
  data: DataSummary | null;
  snapshot: Snapshot | null;
  /** Every run's latest snapshot, for side-by-side small multiples. */
  runs: { id: string; label: string; color: string; snapshot: Snapshot | null }[];
  slice: number;
  onSlice: (z: number) => void;
  runLabel: string | null;
}

function LayerToggle({ name, state, onChange }: { name: string; state: LayerState; onChange: (s: LayerState) => void }) {
  return (
    <span className="layer" data-control={`layer_${name.toLowerCase()} layers`}>
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

/** A voxel's label: the file's label value when every class of a label map is kept, else 0/1. */
const labelText = (l: number | null, values?: number[]) => (l === null ? '–' : String(values?.[l] ?? l));

function asPrediction(s: Snapshot | null, z: number) {
  return s ? { z, height: s.height, width: s.width, probs: s.probs } : null;
}

/** One small multiple; the prediction object changes only with its snapshot (each change re-uploads a texture). */
function Multiple(props: {
  run: ViewerPanelProps['runs'][number];
  volume: VolumeData | null;
  label: Uint8Array | null;
  layers: ViewerLayers;
  plane: ViewPlane;
  slice: number;
}) {
  const { run, slice } = props;
  const prediction = useMemo(() => asPrediction(run.snapshot, slice), [run.snapshot, slice]);
  return (
    <figure className="multiple" style={{ borderColor: run.color }}>
      <figcaption>{run.label}</figcaption>
      <SliceViewer
        volume={props.volume}
        label={props.label}
        prediction={prediction}
        layers={props.layers}
        plane={props.plane}
        slice={slice}
        ariaLabel={`Prediction of ${run.label}`}
      />
    </figure>
  );
}

export function ViewerPanel({ data, snapshot, runs, slice, onSlice, runLabel }: ViewerPanelProps) {
  const [sideBySide, setSideBySide] = useState(false);
  const multiples = sideBySide && runs.length > 1;
  const [modality, setModality] = useState(0);
  const [plane, setPlane] = useState<ViewPlane>('axial');
  const [layers, setLayers] = useState<ViewerLayers>(DEFAULT_LAYERS);
  // With more than two classes the overlay is p(any foreground) = 1 - p(background).
  const pName = (data?.numClasses ?? 2) > 2 ? 'p(foreground)' : 'p(lesion)';
  const [voxel, setVoxel] = useState<VoxelInfo | null>(null);
  const images = data?.display.images ?? [];
  const volume = images[Math.min(modality, images.length - 1)] ?? null;
  const depth = volume?.dims[2] ?? 1;
  const prediction = useMemo(() => asPrediction(snapshot, slice), [snapshot, slice]);
  // Runs reset: the readout forgets the old run's probability (the voxel's own values stay).
  useEffect(() => {
    if (!snapshot) setVoxel((v) => (v && v.probability !== null ? { ...v, probability: null } : v));
  }, [snapshot]);
  return (
    <div className="viewer-panel" data-control="viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer controls" data-control="viewer_toolbar">
        <label data-control="image">
          Image
          <select aria-label="Image" value={modality} onChange={(e) => setModality(Number(e.target.value))}>
            {(data?.display.modalities ?? []).map((m, i) => (
              <option key={m} value={i}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label data-control="plane">
          View
          <select aria-label="View" value={plane} onChange={(e) => setPlane(e.target.value as ViewPlane)}>
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
        <label data-control="prediction_mode layers">
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
        {runs.length > 1 && (
          <label className="inline">
            <input type="checkbox" checked={sideBySide} onChange={(e) => setSideBySide(e.target.checked)} />
            Side by side
          </label>
        )}
      </div>
      {multiples && (
        <div className="multiples">
          {runs.map((r) => (
            <Multiple
              key={r.id}
              run={r}
              volume={volume}
              label={data?.display.label ?? null}
              layers={layers}
              plane={plane}
              slice={slice}
            />
          ))}
        </div>
      )}
      <section className="viewer-pane" aria-label="Viewer" hidden={multiples}>
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
        <label className="slice" data-control="slice">
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
            ? `${whereText(voxel.voxel, volume, (data as { fileGrid?: FileGrid } | null)?.fileGrid)}: intensity ${voxel.intensity.toFixed(2)}, label ${labelText(voxel.label, data?.classValues)}, ${pName} ${
                voxel.probability === null ? '–' : voxel.probability.toFixed(3)
              }`
            : 'Click a voxel to read it.'}
        </output>
        {runLabel && <span className="hint">prediction of {runLabel}</span>}
      </div>
    </div>
  );
}
