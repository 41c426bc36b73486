/** Chart text in presentation mode: margins grow with the text, titles fit a short chart. */
import { describe, expect, it } from 'vitest';
import { fitTitle, scaleMargins } from '../../src/viz/canvasAxes';
import { LOSS_MARGINS } from '../../src/viz/figures/lossFigure';
import { labelX } from '../../src/viz/figures/sessionMark';

/** A measuring context whose text is 10 px a character. */
const ctx = { measureText: (t: string) => ({ width: t.length * 10 }) } as unknown as CanvasRenderingContext2D;

describe('scaleMargins', () => {
  it('leaves the margins alone at scale 1', () => {
    expect(scaleMargins(LOSS_MARGINS, 1)).toEqual(LOSS_MARGINS);
  });

  it('grows the side margins with the text and the bottom by one tick row and one title', () => {
    const m = scaleMargins(LOSS_MARGINS, 1.65);
    expect(m.left).toBe(Math.round(LOSS_MARGINS.left * 1.65));
    expect(m.right).toBe(Math.round(LOSS_MARGINS.right * 1.65));
    expect(m.top).toBe(LOSS_MARGINS.top);
    // 18 px ticks and a 20 px title need 15 px more than 11 px and 12 px ones.
    expect(m.bottom).toBe(LOSS_MARGINS.bottom + 15);
  });
});

describe('fitTitle', () => {
  it('keeps a title that fits and drops the parenthetical of one that does not', () => {
    expect(fitTitle(ctx, 'loss (log scale)', 200)).toBe('loss (log scale)');
    expect(fitTitle(ctx, 'loss (log scale)', 100)).toBe('loss');
    expect(fitTitle(ctx, 'accuracy', 20)).toBe('accuracy');
  });
});

describe('the Session III label beside its line', () => {
  it('goes right of the line, else left, else as far right as fits; never outside the plot', () => {
    expect(labelX(10, 100, 300)).toBe(16);
    expect(labelX(250, 100, 300)).toBe(144);
    // Fits on neither side of a line in the middle of a narrow plot: kept inside the plot.
    expect(labelX(60, 100, 120)).toBe(18);
    expect(labelX(60, 130, 120)).toBeNull();
  });
});
