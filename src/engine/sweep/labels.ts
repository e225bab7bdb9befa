// Short loss names for tables and plots (the paper's WCE, DL2, SS, GDL).
import { LOSSES } from '../losses/catalog';

export const SHORT_LABELS: Record<string, string> = {
  wce: 'WCE',
  dl2: 'DL2',
  ss: 'SS',
  gdl: 'GDL',
  ce: 'CE',
  dice: 'Dice',
  focal: 'Focal',
  tversky: 'Tversky',
  dice_ce: 'Dice+CE',
};

export function lossShortLabel(id: string): string {
  return SHORT_LABELS[id] ?? LOSSES.find((l) => l.id === id)?.label ?? id;
}
