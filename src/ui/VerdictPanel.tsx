/**
 * The paper's verdict in numbers: the quadratic fitted to g where the network operates, the
 * sign of its Hessian determinant (negative = saddle = soft XOR/XNOR), how well it fits, the
 * angular spectrum (quadrupole l=2 is the XOR harmonic) and the parameter counts.
 */
import { describeVerdict, type ShapeAnalysis, type ShapeVerdict } from '../core/analysis/shape';
import type { ParamCount } from '../core/model/paramCount';
import { selectMainSnapshot, selectReplayFrame, useApp } from '../state/store';
import { compact, grouped } from '../viz/format';

const VERDICT_WORDS: Record<ShapeVerdict, string> = {
  'soft-xor': 'Soft XOR',
  'soft-xnor': 'Soft XNOR',
  'not-saddle': 'Not a saddle',
};

const TERMS = ['a²', 'b²', 'ab', 'a', 'b', '1'];

function SpectrumBars({ power }: { power: number[] }) {
  const max = Math.max(...power.filter(Number.isFinite), 1e-12);
  return (
    <div className="spectrum" role="img" aria-label={`Angular spectrum: ${power.map((p, l) => `l=${l} ${compact(p)}`).join(', ')}`}>
      {power.map((p, l) => (
        <div key={l} className={`spectrum-col${l === 2 ? ' quadrupole' : ''}`} title={`l = ${l}: power ${compact(p)}`}>
          <div className="spectrum-bar-track">
            <div className="spectrum-bar" style={{ height: `${Math.max(2, (100 * (Number.isFinite(p) ? p : 0)) / max)}%` }} />
          </div>
          <span className="spectrum-label">l={l}</span>
        </div>
      ))}
    </div>
  );
}

function Coefficients({ analysis }: { analysis: ShapeAnalysis }) {
  return (
    <table className="coef-table">
      <caption className="visually-hidden">Quadratic fit g ≈ c0 a² + c1 b² + c2 ab + c3 a + c4 b + c5</caption>
      <thead>
        <tr>
          {TERMS.map((t, i) => (
            <th key={t} scope="col" title={`c${i} multiplies ${t}`}>
              c{i}
              <span className="term">{t}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {analysis.fit.c.map((c, i) => (
            <td key={i} data-testid={`coef-c${i}`} className={i === 2 ? 'key-coef' : undefined}>
              {compact(c)}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function ParamCounts({ counts, hidden }: { counts: ParamCount; hidden: number[] }) {
  return (
    <dl className="facts" data-testid="param-counts">
      <div>
        <dt>parameters</dt>
        <dd>{grouped(counts.total)}</dd>
      </div>
      <div>
        <dt>outer network</dt>
        <dd>{grouped(counts.outer)}</dd>
      </div>
      <div>
        <dt>inside g</dt>
        <dd>{grouped(counts.inner)}</dd>
      </div>
      <div>
        <dt>hidden widths</dt>
        <dd>{hidden.length ? hidden.join(', ') : 'none'}</dd>
      </div>
    </dl>
  );
}

export function VerdictPanel() {
  // While the timeline replays, the verdict is the stored frame's.
  const replay = useApp((s) => selectReplayFrame(s));
  const liveAnalysis = useApp((s) => selectMainSnapshot(s)?.analysis ?? null);
  const analysis = replay ? replay.analysis : liveAnalysis;
  const counts = useApp((s) => selectMainSnapshot(s)?.paramCount ?? null);
  const hidden = useApp((s) => selectMainSnapshot(s)?.hidden ?? null);
  const model = useApp((s) => selectMainSnapshot(s)?.model ?? s.params.model);

  return (
    <div className="verdict">
      <h2>Shape of g{replay ? <span className="replay-tag" data-testid="verdict-replay">step {replay.step}, replay</span> : null}</h2>
      {analysis ? (
        <>
          <p className={`verdict-word verdict-${analysis.verdict}`} data-testid="shape-verdict" data-verdict={analysis.verdict}>
            {VERDICT_WORDS[analysis.verdict]}
          </p>
          <p className="verdict-sentence">{describeVerdict(analysis)}</p>
          <dl className="facts">
            <div>
              <dt title="4·c0·c1 − c2²; negative means a saddle">Hessian det</dt>
              <dd data-testid="hessian-det">{compact(analysis.hessianDet)}</dd>
            </div>
            <div>
              <dt title="Cosine similarity between g and its quadratic fit inside the 90% region">fit cosine</dt>
              <dd data-testid="fit-cosine">{compact(analysis.fit.cosine)}</dd>
            </div>
          </dl>
          <Coefficients analysis={analysis} />
          <div className="spectrum-box">
            <span className="spectrum-title" title="Power of g around a circle at the data centre: l=1 dipole (a slope), l=2 quadrupole (the saddle / XOR harmonic)">
              angular spectrum
            </span>
            <SpectrumBars power={analysis.spectrum} />
          </div>
        </>
      ) : (
        <p className="verdict-word verdict-none" data-testid="shape-verdict" data-verdict="none">
          {model === 'twoArg' ? 'Waiting for the first snapshot…' : 'Only for two-argument models'}
        </p>
      )}
      {counts && hidden && <ParamCounts counts={counts} hidden={hidden} />}
    </div>
  );
}
