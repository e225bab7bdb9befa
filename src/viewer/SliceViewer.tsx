// The only place that imports niivue. Each mount creates its own canvas and Niivue instance and
// on unmount releases the WebGL context, so StrictMode's double mount leaks nothing.
import { markOnce } from '../domain/marks';
import { NVImage, Niivue, SLICE_TYPE } from '@niivue/niivue';
import { useEffect, useRef } from 'react';
import type { VolumeData } from '../engine/api';
import { gradientsRequested, withoutUnusedGradients } from './gradients';
import { axialOutline, type PredictionMode, type PredictionSlice, writeErrorSlice, writePredictionSlice } from './overlays';

const NIFTI_FLOAT32 = 16;
// NVImage.new's typings list all 20 parameters; the trailing ones have defaults at run time.
const newImage = NVImage.new as unknown as (
  buf: ArrayBuffer,
  name: string,
  colormap: string,
  opacity: number,
) => Promise<NVImage>;

export type ViewPlane = 'axial' | 'coronal' | 'sagittal' | 'multiplanar';
const PLANES: Record<ViewPlane, SLICE_TYPE> = {
  axial: SLICE_TYPE.AXIAL,
  coronal: SLICE_TYPE.CORONAL,
  sagittal: SLICE_TYPE.SAGITTAL,
  multiplanar: SLICE_TYPE.MULTIPLANAR,
};

export interface LayerState {
  on: boolean;
  opacity: number;
}

export interface ViewerLayers {
  reference: LayerState;
  prediction: LayerState & { mode: PredictionMode };
  errors: LayerState;
}

export interface VoxelInfo {
  voxel: [number, number, number];
  intensity: number;
  label: number | null;
  probability: number | null;
}

export interface SliceViewerProps {
  volume: VolumeData | null;
  label?: Uint8Array | null;
  prediction?: PredictionSlice | null;
  layers?: ViewerLayers;
  plane?: ViewPlane;
  /** Axial slice shown (voxel index). */
  slice?: number;
  onVoxel?: (info: VoxelInfo) => void;
  ariaLabel?: string;
}

export const DEFAULT_LAYERS: ViewerLayers = {
  reference: { on: true, opacity: 0.9 },
  prediction: { on: true, opacity: 0.6, mode: 'heat' },
  errors: { on: false, opacity: 0.8 },
};

// Read at load: the page rewrites its URL to the settings it shows, without the debug flags.
const KEEP_GRADIENTS = typeof window !== 'undefined' && gradientsRequested(window.location.search);

/** The longest the first attach waits for an idle main thread. */
const ATTACH_WAIT_MS = 250;

/** Resolves once the main thread is idle, or after `timeout` ms. */
function whenIdle(timeout: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout });
    else setTimeout(resolve, 0);
  });
}

// Overlay order in nv.volumes: base image, reference outline, prediction, error map.
const REF = 1;
const PRED = 2;
const ERR = 3;

function niftiBytes(
  v: { dims: number[]; spacing: number[]; affine: number[] },
  data: Float32Array,
  cal?: { min: number; max: number },
): ArrayBuffer {
  const bytes = NVImage.createNiftiArray(
    [...v.dims],
    [...v.spacing],
    v.affine,
    NIFTI_FLOAT32,
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  );
  // A display range in the header (cal_max at byte 124, cal_min at 128): niivue then trusts it instead of
  // estimating one from a mostly empty overlay (and warning that it ignored the zeros).
  if (cal) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setFloat32(124, cal.max, true);
    view.setFloat32(128, cal.min, true);
  }
  return bytes.buffer as ArrayBuffer;
}

async function buildOverlay(v: VolumeData, data: Float32Array, name: string, colormap: string, calMax: number): Promise<NVImage> {
  const img = await newImage(niftiBytes(v, data, { min: 0.05, max: calMax }), name, colormap, 1);
  img.cal_min = 0.05;
  img.cal_max = calMax;
  return img;
}

function errorLut(img: NVImage): void {
  img.setColormapLabel({
    R: [0, 40, 230, 40],
    G: [0, 200, 40, 120],
    B: [0, 60, 40, 255],
    A: [0, 255, 255, 255],
    I: [0, 1, 2, 3],
  });
}

export function SliceViewer(props: SliceViewerProps) {
  const { volume, label = null, prediction = null, layers = DEFAULT_LAYERS, plane = 'axial', slice, onVoxel } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const nvRef = useRef<Niivue | null>(null);
  /** Attaches niivue to its canvas (WebGL context and shaders) on first call; later calls wait for the same. */
  const attachRef = useRef<(() => Promise<unknown>) | null>(null);
  const loadedRef = useRef<VolumeData | null>(null);
  const onVoxelRef = useRef(onVoxel);
  onVoxelRef.current = onVoxel;
  const labelRef = useRef(label);
  labelRef.current = label;
  const predictionRef = useRef(prediction);
  predictionRef.current = prediction;
  const sliceRef = useRef(slice);
  sliceRef.current = slice;
  const layersRef = useRef(layers);
  layersRef.current = layers;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', props.ariaLabel ?? 'Slice viewer');
    canvas.dataset.testid = 'niivue-canvas';
    host.appendChild(canvas);
    const nv = new Niivue({ backColor: [0, 0, 0, 1], show3Dcrosshair: false, isResizeCanvas: true, crosshairWidth: 0.5 });
    nvRef.current = nv;
    // The WebGL context and niivue's ~37 shader programs are made when the first volume arrives, not at
    // mount: in a browser that has compiled none yet, compiling them (~0.6 s of CPU on a software GPU)
    // would compete with making the data that volume comes from. And only once the page is idle: the
    // compiles block this thread ~0.15 s, which the page's own updates (Train enabled) should not wait for.
    let ready: Promise<unknown> | null = null;
    let attached = false;
    let gone = false;
    attachRef.current = () => {
      ready ??= whenIdle(ATTACH_WAIT_MS).then(() => {
        if (gone) return;
        attached = true;
        markOnce('viewer-attach');
        return nv.attachToCanvas(canvas);
      });
      return ready;
    };
    nv.onLocationChange = (loc: unknown) => {
      const l = loc as { vox?: number[]; values?: { value: number }[] };
      if (!l.vox || !onVoxelRef.current) return;
      const [x, y, z] = l.vox as [number, number, number];
      const v = loadedRef.current;
      const p = predictionRef.current;
      const idx = v ? x + v.dims[0] * (y + v.dims[1] * z) : -1;
      const lab = labelRef.current;
      onVoxelRef.current({
        voxel: [x, y, z],
        intensity: v && idx >= 0 ? v.data[idx] : Number.NaN,
        label: lab && idx >= 0 ? lab[idx] : null,
        probability: p && p.z === z && y < p.height && x < p.width ? p.probs[y * p.width + x] : null,
      });
    };
    return () => {
      gone = true;
      nvRef.current = null;
      attachRef.current = null;
      loadedRef.current = null;
      nv.cleanup();
      // A canvas never attached has no context: asking for one here would make one.
      if (attached) canvas.getContext('webgl2')?.getExtension('WEBGL_lose_context')?.loseContext();
      canvas.remove();
    };
  }, [props.ariaLabel]);

  // Base image and overlays are rebuilt only when the volume or label changes; layers, plane and
  // prediction have their own effects below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only volume and label rebuild the images
  useEffect(() => {
    const nv = nvRef.current;
    if (!nv || !volume) return;
    let cancelled = false;
    (async () => {
      await attachRef.current?.();
      const n = volume.data.length;
      const outline = new Float32Array(label ? axialOutline(label, volume.dims) : new Uint8Array(n));
      const images = [
        await newImage(niftiBytes(volume, volume.data), `${volume.name}.nii`, 'gray', 1),
        await buildOverlay(volume, outline, 'reference.nii', 'green', 1),
        await buildOverlay(volume, new Float32Array(n), 'prediction.nii', 'warm', 1),
        await buildOverlay(volume, new Float32Array(n), 'errors.nii', 'gray', 3),
      ];
      errorLut(images[ERR]);
      if (cancelled || nvRef.current !== nv) return;
      setOpacities(images, layers, predictionRef.current !== null);
      writePrediction(images, volume, labelRef.current, predictionRef.current, layers.prediction.mode);
      // All four at once: addVolume and setOpacity each re-upload every layer (and recompute the base
      // image's 3D gradients), which on a software GPU cost seconds at start-up.
      nv.volumes = images;
      nv.back = images[0];
      nv.overlays = images.slice(1);
      nv.opts.sliceType = PLANES[plane];
      const skipped = withoutUnusedGradients(nv, () => nv.updateGLVolume(), {
        keep: KEEP_GRADIENTS,
      });
      if (hostRef.current) hostRef.current.dataset.gradientDrawsSkipped = String(skipped);
      loadedRef.current = volume;
      markOnce('first-frame');
      // niivue keeps the old crosshair fraction: put it on the app's slice of the new volume's depth.
      if (sliceRef.current !== undefined) {
        const [x, y] = nv.frac2vox(nv.scene.crosshairPos as unknown as [number, number, number]);
        nv.scene.crosshairPos = nv.vox2frac([x, y, Math.min(sliceRef.current, volume.dims[2] - 1)]);
        nv.drawScene();
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [volume, label]);

  useEffect(() => {
    const nv = nvRef.current;
    if (nv && loadedRef.current) applyLayers(nv, layers, predictionRef.current !== null);
  }, [layers]);

  useEffect(() => {
    const nv = nvRef.current;
    if (nv && loadedRef.current) nv.setSliceType(PLANES[plane]);
  }, [plane]);

  // The mode is read from layersRef (current at render); it is listed so that a new mode repaints.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the mode triggers the repaint
  useEffect(() => {
    const nv = nvRef.current;
    const v = loadedRef.current;
    if (nv && v) paintPrediction(nv, v, label, prediction, layersRef.current);
  }, [prediction, layers.prediction.mode, label]);

  useEffect(() => {
    const nv = nvRef.current;
    const v = loadedRef.current;
    if (!nv || !v || slice === undefined || nv.volumes.length === 0) return;
    const [x, y] = nv.frac2vox(nv.scene.crosshairPos as unknown as [number, number, number]);
    nv.scene.crosshairPos = nv.vox2frac([x, y, Math.min(slice, v.dims[2] - 1)]);
    nv.drawScene();
  }, [slice]);

  return <div ref={hostRef} className="viewer" data-testid="viewer" />;
}

/** Without a prediction its two overlays are empty: at opacity 0 niivue skips them (a full-volume pass each). */
function setOpacities(volumes: NVImage[], layers: ViewerLayers, predicted: boolean): void {
  volumes[REF].opacity = layers.reference.on ? layers.reference.opacity : 0;
  volumes[PRED].opacity = layers.prediction.on && predicted ? layers.prediction.opacity : 0;
  volumes[ERR].opacity = layers.errors.on && predicted ? layers.errors.opacity : 0;
}

function applyLayers(nv: Niivue, layers: ViewerLayers, predicted: boolean): void {
  if (nv.volumes.length < 4) return;
  setOpacities(nv.volumes, layers, predicted);
  refreshOverlays(nv);
}

/** Writes the prediction (or zeros when there is none) into the overlay volumes; false if it does not fit. */
function writePrediction(
  volumes: NVImage[],
  v: VolumeData,
  label: Uint8Array | null,
  p: PredictionSlice | null,
  mode: PredictionMode,
): boolean {
  if (!p) {
    // No prediction (runs reset or not started): nothing of an old run may stay on screen.
    (volumes[PRED].img as Float32Array).fill(0);
    (volumes[ERR].img as Float32Array).fill(0);
    return true;
  }
  if (p.z >= v.dims[2]) return false;
  writePredictionSlice({ target: volumes[PRED].img as Float32Array, dims: v.dims, slice: p, mode });
  if (label) writeErrorSlice({ target: volumes[ERR].img as Float32Array, label, dims: v.dims, slice: p });
  return true;
}

function paintPrediction(
  nv: Niivue,
  v: VolumeData,
  label: Uint8Array | null,
  p: PredictionSlice | null,
  layers: ViewerLayers,
): void {
  if (nv.volumes.length < 4) return;
  if (!writePrediction(nv.volumes, v, label, p, layers.prediction.mode)) return;
  setOpacities(nv.volumes, layers, p !== null);
  refreshOverlays(nv);
}

/**
 * Re-uploads the overlays only: the base image (layer 0) has not changed, and updateGLVolume would
 * re-upload it and recompute its gradients on every prediction and opacity change.
 */
function refreshOverlays(nv: Niivue): void {
  for (let i = 1; i < nv.volumes.length; i++) nv.refreshLayers(nv.volumes[i], i);
  nv.drawScene();
}
