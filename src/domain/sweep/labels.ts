// Short loss names for tables and plots (the paper's WCE, DL2, SS, GDL), from the domain registry.
import { isLossId, lossInfo } from '../losses';

export function lossShortLabel(id: string): string {
  return isLossId(id) ? lossInfo(id).short : id;
}
