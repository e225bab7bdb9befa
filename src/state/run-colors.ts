// One colour per loss, the same in every chart, legend and table.
const RUN_COLORS: Record<string, string> = {
  wce: '#e4572e',
  dl2: '#2e86ab',
  ss: '#a23b72',
  gdl: '#3bb273',
  ce: '#f18f01',
  dice: '#6c5b7b',
  focal: '#c06c84',
  tversky: '#355c7d',
  dice_ce: '#99b898',
};

export function runColor(loss: string): string {
  return RUN_COLORS[loss] ?? '#888';
}
