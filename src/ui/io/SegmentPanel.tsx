// A checkpoint's segmentation of a volume: the slice viewer with the reference outline and the
// predicted probability, the Dice, per-slice counts, a voxel readout in the file's own indices and mm, and
// the NIfTI downloads.
import { useMemo, useState } from 'react';
import type { SegmentResult } from '../../engine/io/api';
import { DEFAULT_LAYERS, SliceViewer, type VoxelInfo } from '../../viewer/SliceViewer';
import { whereText } from '../voxel-where';
import { downloadFiles } from './download';

export function SegmentPanel({ result }: { result: SegmentResult }) {
  const images = result.display.images;
  const [modality, setModality] = useState(images.length - 1);
  const volume = images[Math.min(modality, images.length - 1)];
  const [nx, ny, nz] = volume.dims;
  const [z, setZ] = useState(() => {
    // Start on the slice with the most predicted foreground.
    let best = Math.floor(nz / 2);
    let most = 0;
    for (let k = 0; k < nz; k++) {
      let n = 0;
      for (let i = k * nx * ny; i < (k + 1) * nx * ny; i++) if (result.probs[i] > 0.5) n++;
      if (n > most) [best, most] = [k, n];
    }
    return best;
  });
  const [voxel, setVoxel] = useState<VoxelInfo | null>(null);
  const prediction = useMemo(
    () => ({ z, height: ny, width: nx, probs: result.probs.subarray(z * nx * ny, (z + 1) * nx * ny) }),
    [result, z, nx, ny],
  );
  const counts = useMemo(() => {
    let slice = 0;
    let all = 0;
    for (let i = 0; i < result.probs.length; i++) {
      if (result.probs[i] <= 0.5) continue;
      all++;
      if (i >= z * nx * ny && i < (z + 1) * nx * ny) slice++;
    }
    return { slice, all };
  }, [result, z, nx, ny]);
  return (
    <section className="panel" aria-label="Segmentation">
      <h2>
        Segmentation of {result.subject} by {result.checkpoint}
      </h2>
      <div className="segment-view">
        <div>
          <SliceViewer
            volume={volume}
            label={result.display.label}
            prediction={prediction}
            layers={DEFAULT_LAYERS}
            slice={z}
            ariaLabel="Segmentation viewer"
            onVoxel={setVoxel}
          />
          <p>
            <output className="voxel" aria-live="polite" aria-label="Segmentation voxel">
              {voxel
                ? `${whereText(voxel.voxel, volume, result.fileGrid)}: intensity ${voxel.intensity.toFixed(2)}, p(lesion) ${
                    voxel.probability === null ? '–' : voxel.probability.toFixed(3)
                  }`
                : 'Click the image for a voxel readout'}
            </output>
          </p>
          <label>
            Slice <output aria-label="Segmentation slice">{z}</output>
            <input
              type="range"
              aria-label="Segmentation axial slice"
              min={0}
              max={nz - 1}
              value={z}
              onChange={(e) => setZ(Number(e.target.value))}
            />
          </label>
        </div>
        <div className="segment-stats">
          <label>
            Image{' '}
            <select value={modality} onChange={(e) => setModality(Number(e.target.value))} aria-label="Segmentation image">
              {result.display.modalities.map((m, i) => (
                <option key={m} value={i}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <p>
            Dice against the label:{' '}
            <output aria-label="Segmentation Dice">{result.dice === null ? 'no label' : result.dice.toFixed(4)}</output>
          </p>
          <p>
            Lesion voxels (p &gt; 0.5) on this slice: <output aria-label="Predicted voxels on the slice">{counts.slice}</output>,
            in the volume: <output aria-label="Predicted voxels in the volume">{counts.all}</output>
          </p>
          <p className="hint">
            {nx} x {ny} x {nz} voxels, inference in {(result.ms / 1000).toFixed(1)} s. Green: the label's outline; warm colours:
            p(lesion).
          </p>
          <div className="io-actions">
            <button
              type="button"
              onClick={() =>
                void downloadFiles([
                  { name: result.files.segmentation.name, data: result.files.segmentation.bytes },
                  { name: result.files.probability.name, data: result.files.probability.bytes },
                ])
              }
            >
              Download segmentation + probability NIfTI
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
