/**
 * The small part of plotly.js this app uses. The package `plotly.js-cartesian-dist-min` ships
 * no types, and the full @types/plotly.js would be a new dependency; figures are built by our
 * own typed helpers (src/viz/figures), so loose data/layout records are enough here.
 */
declare module 'plotly.js-cartesian-dist-min' {
  export type PlotData = Record<string, unknown>;
  export type PlotLayout = Record<string, unknown>;
  export type PlotConfig = Record<string, unknown>;

  /** Plotly attaches its state to the div it draws into. */
  export interface PlotlyHTMLElement extends HTMLDivElement {
    on(event: string, handler: (...args: unknown[]) => void): void;
    removeAllListeners?(event: string): void;
  }

  export function newPlot(root: HTMLElement, data: PlotData[], layout?: PlotLayout, config?: PlotConfig): Promise<PlotlyHTMLElement>;
  export function react(root: HTMLElement, data: PlotData[], layout?: PlotLayout, config?: PlotConfig): Promise<PlotlyHTMLElement>;
  export function relayout(root: HTMLElement, update: Record<string, unknown>): Promise<PlotlyHTMLElement>;
  export function purge(root: HTMLElement): void;

  export const Plots: { resize(root: HTMLElement): Promise<void> | void };

  const Plotly: {
    newPlot: typeof newPlot;
    react: typeof react;
    relayout: typeof relayout;
    purge: typeof purge;
    Plots: typeof Plots;
  };
  export default Plotly;
}
