/**
 * The small-multiples figure: one heatmap image per two-argument run with a g (the embedded
 * PNG decodes to g's colours), its 90% contour and verdict, one curve per one-argument run,
 * rows titled with parameter counts, the fixed baselines listed; the same layout drawn on a
 * canvas (a recording fake) paints one image per heatmap.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { divergingColor } from '../../src/viz/colors';
import { LIGHT_THEME } from '../../src/viz/exportFigure';
import { compareFigureLayout, compareFigureSvg, drawCompareFigure, wrapText } from '../../src/viz/figures/compareFigure';
import { crc32, encodeRgbPng } from '../../src/viz/pngEncode';
import { compareFixture } from './compareFixture';

/** Every tag closes in order (a small well-formedness check without an XML library). */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}

/** Reads a PNG written by encodeRgbPng (stored deflate blocks): size and RGB rows, checking every CRC. */
function decodePng(bytes: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  let width = 0;
  let height = 0;
  const idat: number[] = [];
  while (o < bytes.length) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    expect(view.getUint32(o + 8 + len)).toBe(crc32(bytes, o + 4, o + 8 + len));
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
    }
    if (type === 'IDAT') idat.push(...bytes.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const z = Uint8Array.from(idat);
  const raw: number[] = [];
  let p = 2;
  for (;;) {
    const final = z[p] & 1;
    const len = z[p + 1] | (z[p + 2] << 8);
    raw.push(...z.subarray(p + 5, p + 5 + len));
    p += 5 + len;
    if (final) break;
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 3)]).toBe(0);
    rgb.set(raw.slice(y * (1 + width * 3) + 1, (y + 1) * (1 + width * 3)), y * width * 3);
  }
  return { width, height, rgb };
}

describe('PNG encoder', () => {
  it('writes a PNG that decodes to its pixels, over several stored blocks', () => {
    const w = 200;
    const h = 120; // 72 120 bytes of rows: two stored blocks
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7) % 256);
    const back = decodePng(encodeRgbPng(w, h, rgb));
    expect(back.width).toBe(w);
    expect(back.height).toBe(h);
    expect(back.rgb).toEqual(rgb);
    expect(() => encodeRgbPng(2, 2, new Uint8Array(5))).toThrow(RangeError);
  });
});

describe('compare small-multiples figure', () => {
  const fx = compareFixture();
  const input = { plans: fx.state.plans, runs: fx.state.runs, dataset: 'xor' };

  it('SVG: one heatmap image with its 90% contour and verdict per two-argument run with g, one curve per one-argument run', () => {
    const svg = compareFigureSvg(input);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    const twoArg = fx.state.plans.filter((p) => p.model === 'twoArg');
    const withG = twoArg.filter((p) => !fx.state.runs[p.runId].diverged);
    expect(withG).toHaveLength(3);
    expect(svg.match(/<image class="heatmap" [^>]*href="data:image\/png;base64,/g)).toHaveLength(withG.length);
    expect(svg.match(/class="contour90"/g)).toHaveLength(withG.length);
    expect(svg.match(/class="verdict"/g)).toHaveLength(withG.length);
    for (const p of withG) expect(svg).toContain(`<g data-run="${p.runId}" data-kind="heatmap">`);
    // The diverged run says so instead of drawing NaN.
    const diverged = twoArg.find((p) => fx.state.runs[p.runId].diverged)!;
    expect(svg).toMatch(new RegExp(`<g data-run="${diverged.runId}" data-kind="diverged">[^]*?>diverged</text>`));
    expect(svg.match(/class="curve"/g)).toHaveLength(4);
    // Rows in plan order, titled with parameter counts; the fixed baseline listed with its own.
    expect(svg.match(/<g class="row" data-model="(\w+)">/g)).toEqual([
      '<g class="row" data-model="twoArg">',
      '<g class="row" data-model="oneArg">',
    ]);
    expect(svg).toContain('Two-argument g(a, b) · 337 params · hidden 8, 8');
    expect(svg).toContain('Fixed activations, nothing learned to draw: ReLU (353 params · hidden 9, 9).');
    expect(svg).toContain('seed 4');
  });

  it('the verdict shown is the bootstrap verdict, or the point verdict marked as not yet bootstrapped', () => {
    const layout = compareFigureLayout(input);
    const cells = layout.rows[0].cells;
    for (const c of cells) {
      const run = fx.state.runs[c.runId];
      if (run.diverged) continue;
      if (run.bootstrap)
        expect(c.label).toBe(
          { 'soft-xor': 'Soft XOR', 'soft-xnor': 'Soft XNOR', 'not-saddle': 'not a saddle', undecided: 'undecided' }[run.bootstrap.verdict],
        );
      else expect(c.label.endsWith('*')).toBe(true);
    }
    expect(cells.map((c) => c.x)).toEqual([...cells.map((c) => c.x)].sort((a, b) => a - b));
  });

  it('each embedded heatmap decodes to g in its colours, highest b on the top row', () => {
    const svg = compareFigureSvg(input);
    const layout = compareFigureLayout(input);
    const cell = layout.rows[0].cells[0];
    const href = new RegExp(`<g data-run="${cell.runId}"[^]*?href="data:image/png;base64,([^"]+)"`).exec(svg)![1];
    const png = decodePng(Uint8Array.from(atob(href), (ch) => ch.charCodeAt(0)));
    const g = fx.state.runs[cell.runId].g!;
    const n = g.grid.size;
    expect(png.width).toBe(n);
    expect(png.height).toBe(n);
    // Top-left pixel: grid row n - 1 (largest b), column 0 (smallest a).
    const want = divergingColor(g.values[(n - 1) * n], cell.heat!.range).map(Math.round);
    expect([...png.rgb.subarray(0, 3)]).toEqual(want);
    const last = divergingColor(g.values[n - 1], cell.heat!.range).map(Math.round);
    expect([...png.rgb.subarray(png.rgb.length - 3)]).toEqual(last);
  });

  it('runs without records or read-outs yet, and a comparison of fixed activations only', () => {
    const layout = compareFigureLayout({ plans: fx.state.plans, runs: {}, dataset: 'xor' });
    expect(layout.rows.flatMap((r) => r.cells.map((c) => c.kind))).toEqual(Array(8).fill('waiting'));
    expect(layout.rows[0].title).toContain('not built yet');
    const fixed = compareFixture({ models: ['relu', 'tanh'], seeds: 2 });
    const svg = compareFigureSvg({ plans: fixed.state.plans, runs: fixed.state.runs, dataset: 'xor' });
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toContain('<image');
    expect(svg).toContain('No model in this comparison learns its activation');
  });

  it('notes are wrapped to the figure width', () => {
    expect(wrapText('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrapText('a verylongword b', 4)).toEqual(['a', 'verylongword', 'b']);
    const layout = compareFigureLayout(input);
    for (const line of layout.notes) expect(line.length * 6.6).toBeLessThanOrEqual(layout.width - 40);
    expect(layout.notes.join(' ')).toContain('* marks a point verdict not yet bootstrapped.');
  });

  it('theme values and names cannot inject markup', () => {
    const svg = compareFigureSvg(
      { ...input, dataset: '<script>alert(1)</script>' },
      { ...LIGHT_THEME, muted: '"/><script>x</script>', font: '"><b>' },
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(wellFormed(svg)).toBe(true);
  });
});

describe('compare figure on a canvas', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('paints one image per heatmap and one stroked curve per one-argument run', () => {
    // drawGridField builds each heatmap as an ImageData on an OffscreenCanvas (browser only): stand-ins.
    vi.stubGlobal(
      'ImageData',
      class {
        data: Uint8ClampedArray;
        constructor(
          public width: number,
          public height: number,
        ) {
          this.data = new Uint8ClampedArray(width * height * 4);
        }
      },
    );
    vi.stubGlobal(
      'OffscreenCanvas',
      class {
        getContext() {
          return { putImageData: () => undefined };
        }
      },
    );
    const calls: { name: string; args: unknown[]; strokeStyle: unknown }[] = [];
    const state: Record<string, unknown> = {};
    const ctx = new Proxy(state, {
      get: (target, prop: string) =>
        prop in target ? target[prop] : (...args: unknown[]) => void calls.push({ name: prop, args, strokeStyle: target.strokeStyle }),
      set: (target, prop: string, value) => ((target[prop] = value), true),
    }) as unknown as CanvasRenderingContext2D;
    const fx = compareFixture();
    const layout = compareFigureLayout({ plans: fx.state.plans, runs: fx.state.runs, dataset: 'xor' });
    drawCompareFigure(ctx, layout, LIGHT_THEME);
    expect(calls.filter((c) => c.name === 'drawImage')).toHaveLength(3);
    expect(calls.filter((c) => c.name === 'stroke' && c.strokeStyle === '#0072B2')).toHaveLength(4);
    const texts = calls.filter((c) => c.name === 'fillText').map((c) => c.args[0]);
    expect(texts).toContain(layout.title);
    expect(texts).toContain('diverged');
    expect(texts.filter((t) => typeof t === 'string' && t.startsWith('seed '))).toHaveLength(8);
  });
});
