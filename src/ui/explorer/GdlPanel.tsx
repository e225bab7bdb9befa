// GDL's class weights against class volume, and its gradient computed three ways: tf autodiff of the
// engine's loss, the derived closed form, and the formula printed in the paper (wrong sign, flagged).
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';
import type { ExplorerResult } from '../../engine/explorer/synthetic';
import { CurveChart, fmt, type Row } from './CurveChart';

const PRINTED = String.raw`\frac{\partial\,\mathrm{GDL}}{\partial p_i} = {\color{#c0392b}-2}\,\frac{(w_1^2 - w_2^2)\left[\sum_n p_n r_n - r_i \sum_n (p_n + r_n)\right] + N w_2 (w_1 + w_2)(1 - 2 r_i)}{\left[(w_1 - w_2)\sum_n (p_n + r_n) + 2 N w_2\right]^2}`;
const DERIVED = String.raw`\frac{\partial\,\mathrm{GDL}}{\partial p_i} = {\color{#2e7d32}+2}\,\frac{(w_1^2 - w_2^2)\left[\sum_n p_n r_n - r_i \sum_n (p_n + r_n)\right] + N w_2 (w_1 + w_2)(1 - 2 r_i)}{\left[(w_1 - w_2)\sum_n (p_n + r_n) + 2 N w_2\right]^2}`;

function Tex({ tex, label }: { tex: string; label: string }) {
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, displayMode: true }), [tex]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of our own constant formulas.
  return <div className="formula" role="math" aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}

const TYPE_COLORS = { square: '#3bb273', simple: '#2e86ab', uniform: '#888888' } as const;

export interface GdlPanelProps {
  gdl: NonNullable<ExplorerResult['gdl']> | null;
  grid: number[];
  voxels: number;
  predictor: { lesion: number; background: number };
  weightType: string;
}

export function GdlPanel({ gdl, grid, voxels, predictor, weightType }: GdlPanelProps) {
  const weightRows: Row[] = gdl
    ? gdl.weights.volumes.map((v, i) => {
        const row: Row = { x: v };
        for (const t of ['square', 'simple', 'uniform'] as const) {
          row[`${t}_lesion`] = gdl.weights[t].lesion[i];
          row[`${t}_background`] = gdl.weights[t].background[i];
        }
        return row;
      })
    : [];
  const gradRows = (side: 'lesion' | 'background'): Row[] =>
    gdl
      ? grid.map((x, k) => ({
          x,
          autodiff: gdl.gradient[side].autodiff[k] * voxels,
          closedForm: gdl.gradient[side].closedForm[k] * voxels,
          printed: gdl.gradient[side].printed[k] * voxels,
        }))
      : [];
  const gradSeries = [
    { key: 'autodiff', name: 'autodiff (tf.grad)', color: '#3bb273', width: 3 },
    { key: 'closedForm', name: 'closed form', color: '#1c1c22', dotsOnly: true },
    { key: 'printed', name: 'printed in the paper', color: '#c0392b', dash: '6 3' },
  ];
  const a = gdl?.gradient;
  const absent = gdl?.weights.absent[weightType as 'square'] ?? null;
  return (
    <section className="explorer-section" aria-label="Generalised Dice loss">
      <h2>Generalised Dice loss: weights and gradient</h2>
      <div className="explorer-grid">
        <CurveChart
          label="GDL weights chart"
          caption={`Normalised GDL weights against lesion volume (image of N = ${gdl?.weights.voxels.toLocaleString() ?? '…'} voxels): solid lesion, dashed background. Square weights 1/V² give a 1-voxel lesion almost all the weight.`}
          rows={weightRows}
          series={(['square', 'simple', 'uniform'] as const).flatMap((t) => [
            { key: `${t}_lesion`, name: `${t}: lesion`, color: TYPE_COLORS[t], width: t === weightType ? 3 : 1.5 },
            {
              key: `${t}_background`,
              name: `${t}: background`,
              color: TYPE_COLORS[t],
              dash: '5 3',
              width: t === weightType ? 3 : 1.5,
            },
          ])}
          xLabel="lesion volume (voxels)"
          yLabel="weight"
          xScale="log"
          yScale="log"
          yDomain={[1e-10, 1]}
          xDomain={[1, (gdl?.weights.voxels ?? 2) / 2]}
          xTicks={[1, 10, 100, 1000, 10_000, 50_000]}
        />
        <div className="explorer-note">
          <p>
            Weights: <em>square</em> w<sub>l</sub> = 1/V<sub>l</sub>² (the paper's GDL<sub>v</sub>), <em>simple</em> 1/V
            <sub>l</sub>, <em>uniform</em> 1; normalised to sum to 1 before ε is added (GDL does not change under a common scale
            of the weights, but ε would swamp raw 1/V² sums).
          </p>
          <p>
            <strong>Absent class.</strong> A patch without lesion has V = 0 and an infinite weight; as in NiftyNet and MONAI it
            takes the largest finite weight instead. Here, with weight type <code>{weightType}</code>, an absent lesion gives
            weights{' '}
            <output aria-label="Absent-lesion weights">
              {absent ? `background ${fmt(absent[0])}, lesion ${fmt(absent[1])}` : '…'}
            </output>
            : the empty class stops dominating, and predicting no lesion there scores well.
          </p>
        </div>
        <CurveChart
          label="GDL gradient at a lesion voxel"
          caption={`N·∂GDL/∂pᵢ (linear scale) at a lesion voxel while every lesion voxel is at p (background at ${predictor.background.toFixed(2)})`}
          rows={gradRows('lesion')}
          series={gradSeries}
          xLabel="p on lesion voxels"
          yLabel="N·∂GDL/∂pᵢ"
          xDomain={[0, 1]}
        />
        <CurveChart
          label="GDL gradient at a background voxel"
          caption={`N·∂GDL/∂pᵢ at a background voxel while every background voxel is at p (lesion at ${predictor.lesion.toFixed(2)})`}
          rows={gradRows('background')}
          series={gradSeries}
          xLabel="p on background voxels"
          yLabel="N·∂GDL/∂pᵢ"
          xDomain={[0, 1]}
        />
      </div>
      <aside className="explorer-warning" role="note" aria-label="The paper's printed gradient">
        <h3>The gradient printed in the paper has the wrong sign</h3>
        <p>
          Sudre et al. 2017 (section 2.1) print the two-class gradient of GDL with a leading <strong>−2</strong> (w₁ the lesion
          weight, w₂ the background weight, ε = 0):
        </p>
        <Tex tex={PRINTED} label="Printed formula" />
        <p>
          Differentiating GDL gives the same expression with <strong>+2</strong>. The printed one is the gradient of the score GDS
          = 1 − GDL: at a lesion voxel it is positive, saying that raising the lesion probability where the lesion is would raise
          the loss. Following it would train the network away from the lesion.
        </p>
        <Tex tex={DERIVED} label="Derived formula" />
        <p>
          Measured here on the curves above: closed form vs autodiff, largest difference{' '}
          <output aria-label="Closed form vs autodiff">{a ? `${fmt(a.closedFormRelError)} of the gradient's scale` : '…'}</output>
          ; printed ÷ autodiff between{' '}
          <output aria-label="Printed over autodiff">
            {a ? `${a.printedOverAutodiff.min.toFixed(4)} and ${a.printedOverAutodiff.max.toFixed(4)}` : '…'}
          </output>{' '}
          (−1 means exactly the negative). The unit tests check both on random 2D and 3D inputs for every weight type.
        </p>
      </aside>
    </section>
  );
}
