import { Session } from '../engine/train/session';
export const x = Session;
