// The verdict on the paper's claim (GDL most robust under imbalance): the robustness ranking leads; with
// 2+ seeds per cell the claim is judged on paired comparisons over matched (cell, seed) runs instead.
import { lossShortLabel } from './labels';
import { type LossPair, pairLosses, pairSentence } from './pairs';
import { type LossRobustness, rankLosses, type SweepTable } from './table';
import type { SweepStatistic } from './types';

/** Differences under this (Dice) are within the noise of one seed: such losses tie. */
export const TIE_DICE = 0.02;

const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));

function ties(a: LossRobustness, b: LossRobustness): boolean {
  const worst = Math.abs((a.worst?.median ?? 0) - (b.worst?.median ?? 0));
  return worst < TIE_DICE && a.failed === b.failed && Math.abs(a.mean - b.mean) < TIE_DICE;
}

/** `paired`: the tables the rows came from and the seeds per cell; with 2+ seeds the claim uses the paired results. */
export interface VerdictPaired {
  tables: readonly SweepTable[];
  seeds: number;
}

const names = (ps: readonly LossPair[]) => ps.map((p) => lossShortLabel(p.b)).join(', ');

/** The claim from GDL's paired comparisons: it must beat each loss, not merely overlap less. */
function pairedClaim(params: { others: readonly LossRobustness[]; tables: readonly SweepTable[]; so: string }): string {
  const { tables, so } = params;
  const pairs = params.others.map((o) => pairLosses({ tables, a: 'gdl', b: o.loss }));
  const by = (k: LossPair['outcome']) => pairs.filter((p) => p.outcome === k);
  const [better, worse, open, few] = [by('better'), by('worse'), by('not separated'), by('too few')];
  if (few.length === pairs.length)
    return `The paper's claim cannot be judged on paired seeds yet${so}: fewer than 2 matched pairs.`;
  if (worse.length)
    return `The paper's claim does not hold in this sweep${so}: ${names(worse)} ${worse.length > 1 ? 'beat' : 'beats'} GDL over paired seeds.`;
  const rest = [open.length ? `not separated from ${names(open)}` : '', few.length ? `too few pairs against ${names(few)}` : '']
    .filter(Boolean)
    .join('; ');
  if (better.length === pairs.length)
    return `The paper's claim holds in this sweep${so}: GDL beats ${names(better)} over paired seeds.`;
  if (better.length) return `The paper's claim holds only in part${so}: GDL beats ${names(better)} over paired seeds; ${rest}.`;
  return `The paper's claim is not shown in this sweep${so}: GDL is ${rest}.`;
}

/** The sentence for rows of any statistic (ranked lower-first where lower is better). */
export function verdict(rows: readonly LossRobustness[], statistic?: SweepStatistic, paired?: VerdictPaired): string {
  const done = rows.filter((r) => r.done > 0);
  if (done.length < 2) {
    // A sweep of several losses that has not finished a run of two of them yet is waiting, not wrong.
    if (rows.length >= 2)
      return `Waiting for results: the comparison appears once two losses have a finished run (${done.length} of ${rows.length} so far).`;
    return 'Train at least two losses to compare their robustness.';
  }
  const ranked = rankLosses(done, statistic).map((id) => done.find((r) => r.loss === id)!);
  const best = ranked[0];
  const top = ranked.filter((r) => r === best || ties(r, best));
  const names = top.map((r) => lossShortLabel(r.loss)).join(', ');
  const lead =
    top.length > 1
      ? `Most robust here: ${names}, tied within ${TIE_DICE} Dice (worst cell ${fmt(best.worst?.median)}, ${best.failed} failed).`
      : `Most robust here: ${names} (worst cell ${fmt(best.worst?.median)}, ${best.failed} failed).`;
  const gdl = done.find((r) => r.loss === 'gdl');
  const so = done.some((r) => r.done < r.total) ? ' so far' : '';
  if (paired && paired.seeds >= 2) {
    const runnerUp = `Best against the runner-up: ${pairSentence(pairLosses({ tables: paired.tables, a: best.loss, b: ranked[1].loss }))}`;
    if (!gdl) return `${lead} ${runnerUp}`;
    const others = done.filter((r) => r !== gdl);
    return `${lead} ${runnerUp} ${pairedClaim({ others, tables: paired.tables, so })}`;
  }
  if (!gdl) return lead;
  if (top.length === 1 && best === gdl) return `${lead} The paper's claim holds in this sweep${so}: GDL has the best worst case.`;
  if (top.includes(gdl)) return `${lead} The paper's claim holds only in part${so}: GDL shares the best worst case.`;
  const place = ranked.indexOf(gdl) + 1;
  return `${lead} The paper's claim does not hold in this sweep${so}: GDL ranks ${place} of ${done.length}.`;
}
