import { Niivue } from '@niivue/niivue';
export const x = Niivue;
