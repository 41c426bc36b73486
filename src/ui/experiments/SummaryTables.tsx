/** The claims (each called reproduced / not reproduced / inconclusive) and the per-model table of a sweep summary. */
import type { Claim, ModelSummary } from '../../core/experiment/report';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const pm = (m: { mean: number; sd: number }) => `${pct(m.mean)} ± ${Number.isFinite(m.sd) ? (100 * m.sd).toFixed(1) : 'n/a'}`;
const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

export const MODEL_NAMES: Record<string, string> = {
  twoArg: 'two-argument g(a, b)',
  oneArg: 'one-argument learned g(z)',
  relu: 'ReLU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
};

export function ClaimsTable({ claims }: { claims: readonly Claim[] }) {
  return (
    <table className="experiments-table" data-testid="claims-table">
      <thead>
        <tr>
          <th scope="col">Claim</th>
          <th scope="col">The paper</th>
          <th scope="col">Measured here</th>
          <th scope="col">Verdict</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((c) => (
          <tr key={c.claim}>
            <td>{c.claim}</td>
            <td>{c.paper}</td>
            <td>{c.measured}</td>
            <td>
              <span className={`claim-badge claim-${c.verdict.replace(' ', '-')}`}>{c.verdict}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ModelTable({ models }: { models: readonly ModelSummary[] }) {
  return (
    <div className="table-scroll">
      <table className="experiments-table" data-testid="experiments-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Parameters (hidden)</th>
            <th scope="col">Seeds</th>
            <th scope="col">Final test accuracy</th>
            <th scope="col">Best test accuracy</th>
            <th scope="col">Saddle, learned</th>
            <th scope="col">Saddle, step 0</th>
            <th scope="col">XOR / XNOR</th>
            <th scope="col">l=2 / l=1, learned (step 0)</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.model} data-model={m.model}>
              <th scope="row">{MODEL_NAMES[m.model] ?? m.model}</th>
              <td>
                {m.paramCount.toLocaleString('en')} ({m.hidden.join(', ')})
              </td>
              <td>{m.runs}</td>
              <td data-testid="final-accuracy">{pm(m.finalTestAcc)}</td>
              <td>{pm(m.bestTestAcc)}</td>
              <td>
                {m.saddle
                  ? `${m.saddle.learned.k}/${m.saddle.learned.n} (${pct(m.saddle.learned.lo)}-${pct(m.saddle.learned.hi)})`
                  : 'no g(a, b)'}
              </td>
              <td>
                {m.saddle ? `${m.saddle.initial.k}/${m.saddle.initial.n} (${pct(m.saddle.initial.lo)}-${pct(m.saddle.initial.hi)})` : ''}
              </td>
              <td>{m.saddle ? `${m.saddle.learnedXor} / ${m.saddle.learnedXnor}` : ''}</td>
              <td>{m.saddle ? `${ratio(m.saddle.quadrupoleRatioLearned)} (${ratio(m.saddle.quadrupoleRatioInitial)})` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
