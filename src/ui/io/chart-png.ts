// The charts as one PNG: each recharts SVG is serialised, drawn onto a canvas under its caption,
// and a legend of the runs (recharts draws its legend in HTML, not SVG) goes underneath.

const SCALE = 2;
const PAD = 12;
const CAPTION = 22;
const LEGEND_ROW = 22;

function svgImage(svg: SVGSVGElement): Promise<{ img: HTMLImageElement; width: number; height: number }> {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width || Number(svg.getAttribute('width')) || 400));
  const height = Math.max(1, Math.round(box.height || Number(svg.getAttribute('height')) || 230));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Text takes the page's font; inside an <img> the SVG has no page styles.
  clone.setAttribute('font-family', getComputedStyle(svg).fontFamily || 'sans-serif');
  clone.setAttribute('font-size', '12');
  const xml = new XMLSerializer().serializeToString(clone);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  return img.decode().then(() => ({ img, width, height }));
}

/** PNG of every `figure` with an SVG chart under `root`, stacked, plus a legend of the runs. */
export async function chartsPng(params: { root: ParentNode; legend: { label: string; color: string }[] }): Promise<Blob> {
  // The chart's own surface is the largest SVG of its figure (legend icons are small recharts-surface SVGs too).
  const surface = (f: Element) =>
    [...f.querySelectorAll<SVGSVGElement>('svg.recharts-surface')].sort(
      (a, b) =>
        b.getBoundingClientRect().width * b.getBoundingClientRect().height -
        a.getBoundingClientRect().width * a.getBoundingClientRect().height,
    )[0];
  const figures = [...params.root.querySelectorAll('figure')].filter((f) => surface(f));
  if (figures.length === 0) throw new Error('no chart on the page yet: train first');
  const parts = await Promise.all(
    figures.map(async (f) => ({
      // The caption's own text, without the controls inside it (e.g. a log-scale checkbox's label).
      caption: f.querySelector('figcaption')?.childNodes[0]?.textContent?.trim() || f.getAttribute('aria-label') || '',
      ...(await svgImage(surface(f))),
    })),
  );
  const width = Math.max(...parts.map((p) => p.width)) + 2 * PAD;
  const height =
    parts.reduce((h, p) => h + CAPTION + p.height + PAD, PAD) + LEGEND_ROW * Math.ceil(params.legend.length / 4) + PAD;
  const canvas = document.createElement('canvas');
  canvas.width = width * SCALE;
  canvas.height = height * SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#222222';
  ctx.font = '13px sans-serif';
  ctx.textBaseline = 'middle';
  let y = PAD;
  for (const p of parts) {
    ctx.fillStyle = '#222222';
    ctx.fillText(p.caption, PAD, y + CAPTION / 2);
    y += CAPTION;
    ctx.drawImage(p.img, PAD, y, p.width, p.height);
    y += p.height + PAD;
  }
  params.legend.forEach((l, i) => {
    const x = PAD + (i % 4) * ((width - 2 * PAD) / 4);
    const ly = y + Math.floor(i / 4) * LEGEND_ROW + LEGEND_ROW / 2;
    ctx.fillStyle = l.color;
    ctx.fillRect(x, ly - 5, 18, 10);
    ctx.fillStyle = '#222222';
    ctx.fillText(l.label, x + 24, ly);
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
}
