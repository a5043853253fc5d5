// A line chart as an SVG file, written by the benchmark itself (no plotting package):
// one line per series, x values spaced evenly (the worker counts 1, 2, 4 … 32 double
// at each step), y from 0 to the largest value.

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 150, top: 40, bottom: 50 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A step that gives about five gridlines up to `max`: 1, 2 or 5 times a power of ten. */
function gridStep(max) {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough);
}

/** `series`: [{ name, points: [[x, y], …] }]; every series has the same xs. */
export function lineChart({ title, xLabel, yLabel, series }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const values = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const step = gridStep(Math.max(...values, 1e-9));
  const top = Math.ceil(Math.max(...values, 1e-9) / step) * step;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xAt = (x) => MARGIN.left + (xs.length === 1 ? plotWidth / 2 : (xs.indexOf(x) / (xs.length - 1)) * plotWidth);
  const yAt = (y) => MARGIN.top + plotHeight - (y / top) * plotHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escape(title)}</text>`,
  ];
  for (let y = 0; y <= top + step / 2; y += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${yAt(y)}" y2="${yAt(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${yAt(y) + 4}" text-anchor="end">${+y.toPrecision(4)}</text>`);
  }
  // At most about a dozen labels on the x axis (a soak has hundreds of samples).
  const labelEvery = Math.ceil(xs.length / 12);
  xs.forEach((x, i) => {
    if (i % labelEvery === 0) parts.push(`<text x="${xAt(x)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${x}</text>`);
  });
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escape(xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const points = s.points.filter(([, y]) => Number.isFinite(y));
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([x, y]) => `${xAt(x)},${yAt(y)}`).join(' ')}"/>`);
    for (const [x, y] of points) parts.push(`<circle cx="${xAt(x)}" cy="${yAt(y)}" r="3" fill="${colour}"/>`);
    parts.push(`<text x="${MARGIN.left + plotWidth + 10}" y="${MARGIN.top + 16 * (i + 1)}" fill="${colour}">${escape(s.name)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
