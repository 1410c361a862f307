import type { Chart, Plugin } from 'chart.js';
import type { BandKind, OutageBand } from '../model/site-chart.js';

/**
 * Shades outages behind the throughput lines, each side with its own colour and pattern (line
 * side hatched red, device side dotted orange, planned striped blue, others plain) and its
 * label at the top where the band is wide enough: told apart without colour, as on the wall.
 */
export interface OutageBandOptions {
  bands: readonly OutageBand[];
  label: (b: OutageBand) => string;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends import('chart.js').ChartType> {
    outageBands?: OutageBandOptions;
  }
}

const STYLE: Readonly<Record<BandKind, { fill: string; ink: string; draw: (g: CanvasRenderingContext2D) => void }>> = {
  line: {
    fill: 'rgba(255,77,79,0.16)',
    ink: '#ff4d4f',
    draw: (g) => {
      g.beginPath();
      g.moveTo(0, 12);
      g.lineTo(12, 0);
      g.stroke();
    },
  },
  device: { fill: 'rgba(255,159,26,0.14)', ink: '#ff9f1a', draw: (g) => g.fillRect(5, 5, 2.5, 2.5) },
  planned: {
    fill: 'rgba(90,169,255,0.14)',
    ink: '#5aa9ff',
    draw: (g) => {
      g.beginPath();
      g.moveTo(6, 0);
      g.lineTo(6, 12);
      g.stroke();
    },
  },
  other: { fill: 'rgba(224,208,96,0.12)', ink: '#e0d060', draw: () => undefined },
};

const patterns = new Map<BandKind, CanvasPattern | string>();
function patternOf(ctx: CanvasRenderingContext2D, kind: BandKind): CanvasPattern | string {
  const seen = patterns.get(kind);
  if (seen) return seen;
  const s = STYLE[kind];
  const tile = document.createElement('canvas');
  tile.width = 12;
  tile.height = 12;
  const g = tile.getContext('2d');
  if (!g) return s.fill;
  g.fillStyle = s.fill;
  g.fillRect(0, 0, 12, 12);
  g.strokeStyle = s.ink;
  g.fillStyle = s.ink;
  g.globalAlpha = 0.55;
  g.lineWidth = 1.5;
  s.draw(g);
  const p = ctx.createPattern(tile, 'repeat') ?? s.fill;
  patterns.set(kind, p);
  return p;
}

export const outageBandPlugin: Plugin<'line'> = {
  id: 'outageBands',
  beforeDatasetsDraw(chart: Chart<'line'>, _args, options) {
    const opts = options as Partial<OutageBandOptions>;
    if (!opts.bands?.length || !opts.label) return;
    const { ctx, chartArea: area, scales } = chart;
    const x = scales.x;
    if (!x) return;
    ctx.save();
    ctx.font = '12px sans-serif';
    ctx.textBaseline = 'top';
    for (const b of opts.bands) {
      const left = Math.max(area.left, x.getPixelForValue(b.from));
      const right = Math.min(area.right, x.getPixelForValue(b.to));
      if (!(right > left)) continue;
      // At least 2 px: a 30-second cut on a 30-day chart must still show.
      const w = Math.max(2, right - left);
      ctx.fillStyle = patternOf(ctx, b.kind);
      ctx.fillRect(left, area.top, w, area.bottom - area.top);
      ctx.fillStyle = STYLE[b.kind].ink;
      ctx.fillRect(left, area.top, w, 3);
      const text = opts.label(b);
      if (ctx.measureText(text).width + 6 <= w) ctx.fillText(text, left + 3, area.top + 5);
    }
    ctx.restore();
  },
};
