/**
 * The chart of docs/benchmarks.svg, written by hand: wall time against N on log-log axes, one
 * polyline per contender, a legend. No dependency: a chart library for one figure is not worth it,
 * and the SVG stays small and diffable.
 */

export interface Series {
  label: string;
  points: { x: number; y: number }[];
  /** Drawn dashed (a bound, not a measurement). */
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/** Colour-blind-safe (Okabe–Ito), in contender order; grey is kept for bounds. */
const COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#000000", "#F0E442"];

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Powers of ten covering [min, max]. */
function decades(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
  const out: number[] = [];
  for (let e = low; e <= high; e++) out.push(10 ** e);
  return out;
}

function tickLabel(value: number, unit = ""): string {
  if (value >= 1000 && unit === "ms") return `${value / 1000} s`;
  if (value >= 1) return `${value.toLocaleString("en-US")}${unit ? ` ${unit}` : ""}`;
  return `${value}${unit ? ` ${unit}` : ""}`;
}

export function logLogChart(series: readonly Series[], options: ChartOptions): string {
  // Wide enough for the longest legend label (about 6.5 px per character at 12 px sans-serif).
  const legendWidth = 40 + Math.max(...series.map((s) => s.label.length)) * 6.5;
  const width = options.width ?? 560 + legendWidth;
  const height = options.height ?? 480;
  const margin = { left: 70, right: legendWidth + 20, top: 40, bottom: 50 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;

  const points = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  if (points.length === 0) points.push({ x: 1, y: 1 }); // nothing measured: draw empty axes
  // Axes span the decades around the data (at least one decade, so that a lone point has room).
  const xs = decades(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x), 10));
  const ys = decades(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y)) * 1.01);
  const [xMin, xMax] = [Math.log10(xs[0]), Math.log10(xs[xs.length - 1])];
  const [yMin, yMax] = [Math.log10(ys[0]), Math.log10(ys[ys.length - 1])];
  const px = (x: number) => margin.left + ((Math.log10(x) - xMin) / (xMax - xMin || 1)) * plotWidth;
  const py = (y: number) => margin.top + plotHeight - ((Math.log10(y) - yMin) / (yMax - yMin || 1)) * plotHeight;
  const f = (n: number) => n.toFixed(1);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);

  // Grid and ticks: one line per decade.
  for (const x of xs) {
    out.push(`<line x1="${f(px(x))}" y1="${margin.top}" x2="${f(px(x))}" y2="${margin.top + plotHeight}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${f(px(x))}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${tickLabel(x)}</text>`);
  }
  for (const y of ys) {
    out.push(`<line x1="${margin.left}" y1="${f(py(y))}" x2="${margin.left + plotWidth}" y2="${f(py(y))}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${margin.left - 6}" y="${f(py(y) + 4)}" text-anchor="end">${tickLabel(y, "ms")}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(
    `<text x="16" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 16 ${margin.top + plotHeight / 2})">${escapeXml(options.yLabel)}</text>`,
  );

  let colourIndex = 0;
  series.forEach((s, index) => {
    const colour = s.dashed ? "#999999" : COLOURS[colourIndex++ % COLOURS.length];
    const drawn = s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    if (drawn.length > 0) {
      out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${drawn.map((p) => `${f(px(p.x))},${f(py(p.y))}`).join(" ")}"/>`);
      if (!s.dashed) for (const p of drawn) out.push(`<circle cx="${f(px(p.x))}" cy="${f(py(p.y))}" r="3" fill="${colour}"/>`);
    }
    const ly = margin.top + 8 + index * 20;
    const lx = margin.left + plotWidth + 16;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
