/**
 * Maps a number spec to a slider and back. Log-scale specs (learning rate) use positions
 * 0..LOG_STEPS spread evenly in log10, rounded to two significant digits so the values a slider
 * produces are ones a person would type (0.01, 0.012, 0.015...) and links stay short.
 */
import type { NumberSpec } from '../../core/params';

const LOG_STEPS = 1000;

export interface SliderScale {
  min: number;
  max: number;
  step: number;
  toPosition(value: number): number;
  fromPosition(position: number): number;
  /**
   * The value a slider at `position` means, coming from `value`: when rounding would map the new
   * position back onto the same value (one arrow press on the log scale moves ~1.3%, less than
   * two significant digits resolve), the next distinct value in that direction instead, so every
   * key press changes what is shown.
   */
  valueAt(position: number, value: number): number;
}

/** A round step giving about 20-200 positions across the range. */
function linearStep(spec: NumberSpec): number {
  if (spec.integer) return Math.max(1, 10 ** Math.floor(Math.log10((spec.max - spec.min) / 200)));
  return 10 ** Math.floor(Math.log10((spec.max - spec.min) / 20));
}

function roundTo(value: number, step: number): number {
  // Rounding in the step's decimals avoids 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

type BareScale = Omit<SliderScale, 'valueAt'>;

function withValueAt(scale: BareScale): SliderScale {
  const valueAt = (position: number, value: number): number => {
    const next = scale.fromPosition(position);
    const dir = Math.sign(position - scale.toPosition(value));
    if (next !== value || dir === 0) return next;
    for (let p = position + dir; p >= scale.min && p <= scale.max; p += dir * scale.step) {
      const v = scale.fromPosition(p);
      if (v !== value) return v;
    }
    return next; // already at the end of the range
  };
  return { ...scale, valueAt };
}

export function sliderScale(spec: NumberSpec): SliderScale {
  if (spec.log && spec.min > 0) {
    const lo = Math.log10(spec.min);
    const hi = Math.log10(spec.max);
    return withValueAt({
      min: 0,
      max: LOG_STEPS,
      step: 1,
      toPosition: (v) => Math.round(((Math.log10(Math.max(spec.min, v)) - lo) / (hi - lo)) * LOG_STEPS),
      fromPosition: (p) => {
        const v = Number((10 ** (lo + (p / LOG_STEPS) * (hi - lo))).toPrecision(2));
        return Math.min(spec.max, Math.max(spec.min, v));
      },
    });
  }
  const step = linearStep(spec);
  return withValueAt({
    min: spec.min,
    max: spec.max,
    step,
    toPosition: (v) => v,
    fromPosition: (p) => Math.min(spec.max, Math.max(spec.min, spec.integer ? Math.round(p) : roundTo(p, step))),
  });
}

/** Whether a slider is useful at all: a seed's range of two billion is not slidable. */
export function hasSlider(spec: NumberSpec): boolean {
  return Boolean(spec.log) || spec.max - spec.min <= 100_000;
}
