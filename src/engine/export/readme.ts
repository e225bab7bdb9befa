// The README inside an export: what is in the folder, the exact commands, and what is and is not carried over.
import { formatBurden, formatLr } from '../../domain/sweep/plan';
import type { ExperimentJson } from './project';

/** The Python files every export ships (python/ in this folder), in the order the README lists them. */
export const PYTHON_FILES = [
  'train.py',
  'sweep.py',
  'models.py',
  'losses.py',
  'loss_common.py',
  'more_losses.py',
  'distance.py',
  'metrics.py',
  'data.py',
  'weights.py',
  'export_onnx.py',
  'requirements.txt',
] as const;

export function projectReadme(params: {
  experiment: ExperimentJson;
  versions: Record<string, string>;
  /** Why the runs are not an app sweep (no results/sweep.json); absent when experiment.sweep is there. */
  noSweep?: string;
}): string {
  const { experiment: e, versions } = params;
  const runs = e.runs.map(
    (r) => `| ${r.runId} | ${r.loss} | ${JSON.stringify(r.lossOptions)} | ${r.lr} | ${r.steps} | ${r.seed} |`,
  );
  const checked = Object.entries(versions).map(([k, v]) => `- ${k} ${v}`);
  return `# ${e.name}: taken further in PyTorch

Exported from the segmentation loss playground. Network: ${e.network.kind}; patches: ${e.patch.dims}D,
size ${JSON.stringify(e.patch.size)}, batch ${e.patch.batch}; ${e.runs.length} run(s):

| run | loss | options | lr | steps | seed |
| --- | --- | --- | --- | --- | --- |
${runs.join('\n')}

## Run it

    python3 -m pip install -r requirements.txt      # or Debian: apt install python3-torch python3-nibabel python3-scipy
    python3 train.py --data ${e.dataset} --out results/history.json

CPU or CUDA is picked by itself (\`--device cpu\`, \`--device cuda:1\` to choose). \`--steps N\` trains N steps
per run, \`--runs 0,2\` only some runs, \`--save checkpoints\` writes each run's state dict (\`{runId}.pt\`).
The first step's loss equals the browser's (the first batches come from \`batches.json\`, the weights from
\`weights/\`). Import \`results/history.json\` in the app: History -> Import; \`results/history.csv\` is the
app's curves CSV of the same runs.

Every GPU of this machine, one process per GPU, each run once (results/history.json merges them):

    python3 sweep.py --data ${e.dataset} --out results/history.json

A SLURM cluster (one array task per run; then merge):

    python3 sweep.py --data ${e.dataset} --slurm > sweep.sbatch && sbatch sweep.sbatch
    python3 sweep.py --merge results/ --out results/history.json

${sweepText(e, params.noSweep)}

Each run's model as the browser had it is already here as ONNX, in \`onnx/{runId}.onnx\` (opset 13; input
"image" [B, C, ...], z-scored, output "probabilities" [B, classes, ...], dynamic batch and sizes), for
inference with onnxruntime (Python, C++, JavaScript) or any ONNX runtime; the tests check it in
onnxruntime against the browser's own output within 1e-4.

The weights as a plain PyTorch state dict, and ONNX again after training on here (export_onnx.py traces
models.py; point it at weights you saved in the same format):

    python3 weights.py weights/${e.runs[0]?.runId}.json weights/${e.runs[0]?.runId}.bin ${e.runs[0]?.runId}.pt
    python3 export_onnx.py weights/${e.runs[0]?.runId}.json weights/${e.runs[0]?.runId}.bin ${e.runs[0]?.runId}.onnx

## What is here

- \`${e.dataset}/\`: an nnU-Net v2 raw dataset (imagesTr/labelsTr, the validation subjects in
  imagesTs/labelsTs, dataset.json). Images are the channels the browser trained on, already z-scored on
  white matter, so nnU-Net's own normalisation changes little.
- \`weights/{runId}.json/.bin\`: each run's weights (and, from the page, Adam's moments) as the browser had
  them (float32, tfjs shapes; weights.py permutes them to PyTorch's). \`step\` in the JSON is where training continues.
- \`onnx/{runId}.onnx\`: the same weights as an ONNX model, written by the page (no PyTorch involved).
- \`batches.json\`: patch origins of the browser's first batches, per run seed; \`experiment.json\`: network, patch rule,
  losses with every option resolved, learning rates, steps, seeds and the validation schedule.
- \`models.py\` (the four networks), \`losses.py\` with \`loss_common.py\` and \`more_losses.py\` (every loss with
  every option; MONAI equivalents in docstrings), \`distance.py\` (the boundary loss's signed distance maps),
  \`metrics.py\` (the WMH challenge metrics of each validation), \`data.py\` (patches and the foreground rule),
  \`train.py\`, \`sweep.py\`, \`export_onnx.py\`.

## Carried over, and not

Carried over exactly: the network (layers, padding, dilations, batch norm, initial or trained weights), every
loss and option, the first batches, Adam (tfjs's: beta 0.9/0.999, epsilon 1e-7 outside the bias correction;
a run exported from the page also brings its moments and step count, so it continues where it stopped),
the validation slices, their Dice and the WMH challenge metrics (HD95 and AVD on each subject's grid and
spacing, lesion recall, precision and F1, recall by lesion size), the run statuses (diverged, collapsed) and
the results format (history JSON with the metrics, and the curves CSV with their columns filled).
Not carried over: Adam's moments for weights from a tfjs checkpoint file (it holds none), the browser's
random stream after the batches in batches.json (later patches follow the same rule with numpy's
generator), GPU non-determinism and the viewer's snapshots. The boundary loss (Kervadec et al. 2019) gets the
signed distance map of each patch's reference as the browser computes it (\`distance.py\`: scipy's exact
Euclidean transform in mm, with the subject's spacing along the patch axes; 0 for a class absent from or
filling the patch) and its schedule from the step; the maps are computed only for a boundary run, and only
at steps where its weight is above 0.

## Checked with

${checked.join('\n') || '- (versions not recorded)'}
`;
}

/** What sweep.py writes for the Sweeps view, or why it writes nothing there. */
function sweepText(e: ExperimentJson, noSweep: string | undefined): string {
  const g = e.sweep;
  if (!g)
    return `These runs are not a sweep of the app: ${noSweep ?? 'no grid'}. sweep.py writes only the history (History -> Import).`;
  const s = g.spec;
  const seeds = s.seeds > 1 ? `seeds ${s.firstSeed}..${s.firstSeed + s.seeds - 1}` : `seed ${s.firstSeed}`;
  return `\`results/sweep.json\` imports in the app's **Sweeps** view (Import). sweep.py writes it beside the history (and
after \`--merge\`) in the app's own sweep file format: the grid ${s.losses.join(', ')} x lr ${s.lrs.map(formatLr).join(', ')} x ${seeds}
(patch ${s.patches[0].patch}, batch ${s.patches[0].batch}, burden ${formatBurden(s.burdens[0])}, ${s.steps} steps), and per run its
training Dice over the last ${s.lastK} steps (the statistic of the Sweeps tables), its curve and the metrics of its
${g.windowValidations} validations in that window (for the validation statistics; sweep.py has train.py validate where the
app's sweep would). \`--last K\` sets the window and \`--steps N\` the steps; the file records both.
\`results/history.json\` imports in History as before. Every seed trains on this export's phantom (in the app's own
sweeps each seed also draws its own phantom), and the derived plot data are left out (\`plots: []\`: the app
recomputes them).`;
}
