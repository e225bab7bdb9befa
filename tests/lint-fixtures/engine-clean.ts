export const x = globalThis.navigator;
