import { LOSS_IDS } from './losses';
export const x = LOSS_IDS.length;
