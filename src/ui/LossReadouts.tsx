/** The latest train and test loss and accuracy as plain numbers (4 significant digits). */
import type { MetricPoint } from '../worker/protocol';
import { selectMainSnapshot, useApp, type AppState } from '../state/store';
import { percent, sig4 } from '../viz/format';

function latest(s: AppState, key: keyof MetricPoint): number | null {
  const h = selectMainSnapshot(s)?.history;
  return h && h.length > 0 ? h[h.length - 1][key] : null;
}

function Readout({
  label,
  value,
  testId,
  format,
}: {
  label: string;
  value: number | null;
  testId: string;
  format: (x: number | null) => string;
}) {
  return (
    <div className="readout">
      <span className="readout-label">{label}</span>
      {/* data-value: the full-precision number, for tests and tools that compare runs. */}
      <span className="readout-value" data-testid={testId} data-value={value === null ? undefined : String(value)}>
        {format(value)}
      </span>
    </div>
  );
}

export function LossReadouts() {
  const trainLoss = useApp((s) => latest(s, 'trainLoss'));
  const testLoss = useApp((s) => latest(s, 'testLoss'));
  const trainAcc = useApp((s) => latest(s, 'trainAcc'));
  const testAcc = useApp((s) => latest(s, 'testAcc'));
  return (
    <div className="readouts" aria-label="Latest metrics">
      <Readout label="train loss" value={trainLoss} testId="train-loss" format={sig4} />
      <Readout label="test loss" value={testLoss} testId="test-loss" format={sig4} />
      <Readout label="train acc." value={trainAcc} testId="train-accuracy" format={percent} />
      <Readout label="test acc." value={testAcc} testId="test-accuracy" format={percent} />
    </div>
  );
}
