import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PARAM_KEYS, PARAM_SPECS, type NumberSpec } from '../../src/core/params';
import { sliderScale } from '../../src/ui/controls/sliderScale';
import { intListProblem } from '../../src/ui/controls/IntListControl';

const numberSpecs = PARAM_KEYS.map((k) => [k, PARAM_SPECS[k]] as const).filter(([, s]) => s.kind === 'number') as [string, NumberSpec][];

describe('slider scales from the schema', () => {
  it.each(numberSpecs)('%s: every slider position gives a value inside the spec', (_, spec) => {
    const s = sliderScale(spec);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (i) => {
        const pos = s.min + ((s.max - s.min) * i) / 1000;
        const v = s.fromPosition(pos);
        expect(v).toBeGreaterThanOrEqual(spec.min);
        expect(v).toBeLessThanOrEqual(spec.max);
        if (spec.integer) expect(Number.isInteger(v)).toBe(true);
      }),
    );
  });

  it('the learning-rate slider is logarithmic and gives round values', () => {
    const s = sliderScale(PARAM_SPECS.lr);
    const v = s.fromPosition(s.toPosition(0.01));
    expect(v).toBeCloseTo(0.01, 3);
    expect(
      String(s.fromPosition(333))
        .replace(/^0\.0*/, '')
        .replace('.', '').length,
    ).toBeLessThanOrEqual(2);
  });

  it('one arrow press on any number slider changes the value, in the pressed direction', () => {
    for (const [key, spec] of numberSpecs) {
      const s = sliderScale(spec);
      for (const start of [spec.default, spec.min, spec.max]) {
        const at = s.toPosition(start);
        const value = s.fromPosition(at);
        if (at + s.step <= s.max) expect(s.valueAt(at + s.step, value), `${key} up from ${start}`).toBeGreaterThan(value);
        if (at - s.step >= s.min) expect(s.valueAt(at - s.step, value), `${key} down from ${start}`).toBeLessThan(value);
      }
    }
  });
});

describe('hidden-units field', () => {
  it('accepts valid lists and explains invalid ones', () => {
    expect(intListProblem('8,8', PARAM_SPECS.hidden)).toBeNull();
    expect(intListProblem('', PARAM_SPECS.hidden)).toBeNull();
    expect(intListProblem('8,x', PARAM_SPECS.hidden)).toMatch(/whole numbers/);
    expect(intListProblem('1,2,3,4,5,6,7', PARAM_SPECS.hidden)).toMatch(/0 to 6/);
    expect(intListProblem('0', PARAM_SPECS.hidden)).toMatch(/from 1 to 64/);
  });
});
