import { createEngineClient } from '../worker/client';
export const x = createEngineClient;
