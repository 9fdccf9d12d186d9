// A hand-written SVG grouped bar chart with a log-scale value axis (no dependencies).

export interface Bar { group: string; series: string; value: number }

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function barChartSvg(opts: { title: string; bars: Bar[]; unit: string }): string {
  const groups = [...new Set(opts.bars.map((b) => b.group))];
  const series = [...new Set(opts.bars.map((b) => b.series))];
  const barW = 22, gap = 18, left = 60, top = 40, plotH = 260, bottom = 50;
  const groupW = series.length * barW + gap;
  const width = Math.max(left + groups.length * groupW + 20, 8 * opts.title.length + 80); // room for the title
  const height = top + plotH + bottom + 20;
  const max = Math.max(10, ...opts.bars.map((b) => b.value));
  const decades = Math.ceil(Math.log10(max));
  const y = (v: number): number => top + plotH - (Math.log10(Math.max(1, v)) / decades) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${left}" y="20" font-size="13" font-weight="bold">${esc(opts.title)}</text>`);
  for (let d = 0; d <= decades; d++) {
    const v = 10 ** d, yy = y(v);
    out.push(`<line x1="${left}" x2="${width - 20}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${yy + 4}" text-anchor="end">${v}${opts.unit}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + gap / 2;
    series.forEach((s, si) => {
      const b = opts.bars.find((bb) => bb.group === g && bb.series === s);
      if (!b) return;
      const x = x0 + si * barW, yy = y(b.value);
      out.push(`<rect x="${x}" y="${yy.toFixed(1)}" width="${barW - 3}" height="${(top + plotH - yy).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${g} ${s}: ${b.value.toFixed(1)}${opts.unit}`)}</title></rect>`);
      out.push(`<text x="${x + (barW - 3) / 2}" y="${(yy - 3).toFixed(1)}" text-anchor="middle" font-size="9">${b.value < 10 ? b.value.toFixed(1) : Math.round(b.value)}</text>`);
    });
    out.push(`<text x="${x0 + (series.length * barW) / 2}" y="${top + plotH + 16}" text-anchor="middle">${esc(g)}</text>`);
  });
  series.forEach((s, si) => {
    const x = left + si * 110;
    out.push(`<rect x="${x}" y="${height - 22}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/>`);
    out.push(`<text x="${x + 16}" y="${height - 12}">${esc(s)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
