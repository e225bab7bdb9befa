// A sweep as a Markdown report: settings, one paper-layout table per burden (with each seed's values
// when there are 2+), data facts, the robustness summary and GDL paired against each loss. The Node
// command writes it; the app can copy it.
import { phantomShape } from '../phantom';
import { lossShortLabel } from './labels';
import { formatBurden, formatLr, runCount } from './plan';
import { pairSentence, pairsAgainst } from './pairs';
import { assembleTables, perSeedMarkdown, rankLosses, robustness, tableToMarkdown } from './table';
import type { SweepRecord, SweepStatistic } from './types';
import { verdict } from './verdict';

const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));

/** `statistic`: what the cells are the median (IQR) of (default: the paper's training Dice). */
export function sweepReportMarkdown(params: { record: SweepRecord; command?: string; statistic?: SweepStatistic }): string {
  const { record, command, statistic } = params;
  const { spec } = record;
  const tables = assembleTables({ spec, results: record.results, statistic });
  const out: string[] = [`# ${record.name}`, ''];
  if (command) out.push('```sh', command, '```', '');
  const minutes = (record.elapsedMs / 60000).toFixed(1);
  out.push(
    `- State: ${record.state}; ${record.results.length} of ${runCount(spec)} runs; ${minutes} min on ${record.backend}; started ${record.createdAt}`,
    `- Network ${spec.network}; losses ${spec.losses.map(lossShortLabel).join(', ')}; LRs ${spec.lrs.map(formatLr).join(', ')}`,
    `- Patches ${spec.patches.map((p) => `${p.id} ${p.patch}/${p.batch}`).join(', ')} (side/batch); lesion ${spec.lesion} at ${spec.burdens.map(formatBurden).join(', ')}`,
    `- Phantom ${phantomShape(spec.size).join(' x ')}, noise ${spec.noise}, difficulty ${spec.difficulty ?? 'not recorded (easy, if saved before difficulty existed)'}; ${spec.steps} steps, statistic over the last ${spec.lastK}; ${spec.seeds} seed(s) per cell from ${spec.firstSeed}`,
    '',
  );
  for (const table of tables) {
    out.push(`## Lesion burden ${formatBurden(table.burden)}`, '');
    const groups = record.groups.filter((g) => g.burden === table.burden);
    if (groups.length) {
      const facts = spec.patches.map((p) => {
        const gs = groups.filter((g) => g.patch === p.id);
        if (!gs.length) return null;
        const imb = gs.reduce((a, g) => a + g.patchImbalance, 0) / gs.length;
        return `${p.id}: side ${gs[0].side}, batch ${gs[0].batch}, median patch foreground ${(imb * 100).toFixed(1)}%`;
      });
      out.push(`Patch imbalance (the paper's Table 1 ratio): ${facts.filter(Boolean).join('; ')}.`, '');
      const base = groups.map((g) => g.baselineDice).filter((d): d is number => typeof d === 'number');
      if (base.length)
        out.push(
          `Best single intensity threshold on the validation subject (no learning): Dice ${Math.min(...base).toFixed(2)}${base.length > 1 ? `-${Math.max(...base).toFixed(2)}` : ''}: what a network has to beat.`,
          '',
        );
    }
    const labels = Object.fromEntries(spec.losses.map((l) => [l, lossShortLabel(l)]));
    out.push(tableToMarkdown({ table, spec, labels }), '');
    if (spec.seeds >= 2)
      out.push(
        `Each seed's value (seeds ${table.seeds.join(', ')}, in that order; the median of its window):`,
        '',
        perSeedMarkdown({ table, labels }),
        '',
      );
  }
  const rows = robustness({ tables });
  out.push(
    '## Robustness per loss',
    '',
    `| Loss | ${spec.seeds >= 2 ? 'Mean of cells (each its seeds’ mean)' : 'Mean of cell medians'} | Worst cell | Failed cells |`,
    '| --- | --- | --- | --- |',
  );
  for (const r of rows) {
    const worst = r.worst
      ? `${fmt(r.worst.median)} (${r.worst.patch}, LR ${formatLr(r.worst.lr)}${tables.length > 1 ? `, ${formatBurden(r.worst.burden)}` : ''})`
      : 'n/a';
    const failed = `${r.failed} of ${r.done}${r.partial ? ` (+${r.partial} partly)` : ''}`;
    out.push(`| ${lossShortLabel(r.loss)} | ${fmt(r.mean)} | ${worst} | ${failed} |`);
  }
  out.push(
    '',
    `Ranked by worst cell, then failures, then mean: ${rankLosses(rows, statistic).map(lossShortLabel).join(' > ')}.`,
    '',
  );
  const pairs = pairsAgainst({ tables });
  if (pairs.length)
    out.push(
      '## GDL paired against each loss',
      '',
      "Pairs are the same burden, patch, LR and seed (same phantom, patches and initial weights); each side is that run's median. Separated: the 95% interval of the mean paired difference excludes 0 and Wilcoxon p < 0.05.",
      '',
      ...pairs.map((p) => `- ${pairSentence(p)}`),
      '',
    );
  out.push(verdict(rows, statistic, { tables, seeds: spec.seeds }), '');
  return out.join('\n');
}
