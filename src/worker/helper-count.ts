// How many phantom helper threads a machine gets (the page starts them; the engine worker's pool uses them).

/** Helpers beside the engine's own thread: one per spare core, at most `max`. */
export function helperCount(cores: number | undefined, max = 3): number {
  return Math.max(0, Math.min(max, (cores ?? 1) - 1));
}
