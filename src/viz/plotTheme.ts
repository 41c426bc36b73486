/**
 * Chart colours come from the page's CSS variables, so the charts follow the light/dark theme
 * without a second palette in code.
 */
import type { PlotLayout } from 'plotly.js-cartesian-dist-min';

export interface PlotTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  font: string;
  /** Chart text (and the margins that hold it) grows by this: 1, or more in presentation mode. */
  textScale: number;
}

export function readPlotTheme(el: Element = document.documentElement): PlotTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1d2330'),
    muted: v('--text-muted', '#5b6476'),
    grid: v('--grid', 'rgba(0,0,0,0.08)'),
    surface: v('--surface', '#fff'),
    font: v('--font-sans', 'system-ui, sans-serif'),
    textScale: Number(v('--chart-text-scale', '1')) || 1,
  };
}

/** Layout shared by every chart: transparent background, theme text, tight margins. */
export function baseLayout(t: PlotTheme): PlotLayout {
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: t.font, size: Math.round(12 * t.textScale), color: t.text },
    margin: { l: Math.round(52 * t.textScale), r: 16, t: 12, b: Math.round(44 * t.textScale) },
    hoverlabel: { bgcolor: t.surface, bordercolor: t.grid, font: { color: t.text, family: t.font } },
    showlegend: false,
  };
}

/** An axis in the theme's colours. */
export function themedAxis(t: PlotTheme, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: Math.round(12 * t.textScale), color: t.muted } },
    gridcolor: t.grid,
    zerolinecolor: t.grid,
    linecolor: t.grid,
    tickfont: { size: Math.round(11 * t.textScale), color: t.muted },
    automargin: true,
    ...extra,
  };
}
