// The Dice colour scale (viridis: perceptually even, readable in grey and by most colour-blind readers).
const STOPS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const RGB = STOPS.map((h) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)));

/** Colour of a Dice value in [0, 1] (clamped), linearly between the stops. */
export function diceColor(v: number): string {
  const x = Math.min(1, Math.max(0, v)) * (RGB.length - 1);
  const i = Math.min(RGB.length - 2, Math.floor(x));
  const f = x - i;
  const c = RGB[i].map((a, k) => Math.round(a + f * (RGB[i + 1][k] - a)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Text colour that stays readable on diceColor(v). */
export function textOn(v: number): string {
  return v < 0.6 ? '#fff' : '#111';
}

/** Stops for a CSS gradient legend. */
export const LEGEND_GRADIENT = `linear-gradient(to right, ${STOPS.join(', ')})`;
