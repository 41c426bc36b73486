/**
 * The paper's verdict in numbers: the quadratic fitted to g where the network operates, the
 * sign of its Hessian determinant (negative = saddle = soft XOR/XNOR), how well it fits, the
 * angular spectrum (quadrupole l=2 is the XOR harmonic) and the parameter counts. The word comes
 * first ("untrained" at step 0): once trained it is the bootstrap verdict, which says
 * "undecided" when the data cannot tell (VerdictCertainty.tsx); the numbers wait behind "details".
 */
import { describeVerdict, type ShapeAnalysis } from '../core/analysis/shape';
import type { ParamCount } from '../core/model/paramCount';
import { selectMainSnapshot, selectReplayFrame, useApp } from '../state/store';
import { compact, grouped } from '../viz/format';
import { hasNoG } from '../viz/noHiddenLayer';
import { CERTAIN_WORDS, currentBootstrap, VerdictCertainty } from './VerdictCertainty';

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

/** The verdict word alone (the embed bar): "untrained" at step 0, the shape's name after. */
export function VerdictWord() {
  const analysis = useApp((s) => selectMainSnapshot(s)?.analysis ?? null);
  const step = useApp((s) => selectMainSnapshot(s)?.step ?? 0);
  const bootstrap = useApp((s) => currentBootstrap(selectMainSnapshot(s)?.bootstrap, step));
  const verdict = analysis === null ? 'none' : step === 0 ? 'untrained' : (bootstrap?.verdict ?? analysis.verdict);
  const word = verdict === 'none' ? '…' : verdict === 'untrained' ? 'untrained' : CERTAIN_WORDS[verdict];
  return (
    <span className={`embed-verdict verdict-${verdict}`} data-testid="shape-verdict" data-verdict={verdict} title="The shape of g">
      {word}
    </span>
  );
}

/** What the verdict word says when there is no fitted shape to name. */
function noVerdictWord(model: string, noG: boolean): string {
  if (noG) return 'No hidden layer, so no g';
  return model === 'twoArg' ? 'Waiting for the first snapshot…' : 'Only for two-argument models';
}

export function VerdictPanel() {
  // While the timeline replays, the verdict is the stored frame's.
  const replay = useApp((s) => selectReplayFrame(s));
  const liveAnalysis = useApp((s) => selectMainSnapshot(s)?.analysis ?? null);
  const analysis = replay ? replay.analysis : liveAnalysis;
  const liveStep = useApp((s) => selectMainSnapshot(s)?.step ?? 0);
  const step = replay ? replay.step : liveStep;
  const counts = useApp((s) => selectMainSnapshot(s)?.paramCount ?? null);
  const hidden = useApp((s) => selectMainSnapshot(s)?.hidden ?? null);
  const model = useApp((s) => selectMainSnapshot(s)?.model ?? s.params.model);
  const noG = useApp((s) => hasNoG(selectMainSnapshot(s)?.hidden ?? s.params.hidden, selectMainSnapshot(s)?.model ?? s.params.model));
  // At step 0 g is its starting surface (Session I's random smooth one): whatever shape it has
  // was not learned from this task, so it is not named.
  const untrained = analysis !== null && step === 0;
  // The live verdict is the bootstrap's once there is one; a replayed frame has only its point verdict.
  const bootstrap = useApp((s) => (replay ? null : currentBootstrap(selectMainSnapshot(s)?.bootstrap, liveStep)));
  const shown = bootstrap?.verdict ?? analysis?.verdict ?? 'not-saddle';

  return (
    <div className="verdict">
      <h2>
        Shape of g
        {replay ? (
          <span className="replay-tag" data-testid="verdict-replay">
            step {replay.step}, replay
          </span>
        ) : null}
      </h2>
      {analysis && !noG ? (
        <>
          {untrained ? (
            <p className="verdict-word verdict-untrained" data-testid="shape-verdict" data-verdict="untrained">
              untrained
            </p>
          ) : (
            <p className={`verdict-word verdict-${shown}`} data-testid="shape-verdict" data-verdict={shown}>
              {CERTAIN_WORDS[shown]}
            </p>
          )}
          <p className="verdict-sentence">
            {untrained
              ? 'g is still the random smooth surface it starts from. Press Play: a saddle here means a soft XOR.'
              : describeVerdict(analysis)}
          </p>
          {!untrained && !replay && <VerdictCertainty bootstrap={bootstrap} />}
          <details className="verdict-details" data-testid="verdict-details">
            <summary>details</summary>
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
              <span
                className="spectrum-title"
                title="Power of g around a circle at the data centre: l=1 dipole (a slope), l=2 quadrupole (the saddle / XOR harmonic)"
              >
                angular spectrum
              </span>
              <SpectrumBars power={analysis.spectrum} />
            </div>
            {counts && hidden && <ParamCounts counts={counts} hidden={hidden} />}
          </details>
        </>
      ) : (
        <>
          <p className="verdict-word verdict-none" data-testid="shape-verdict" data-verdict={noG ? 'no-g' : 'none'}>
            {noVerdictWord(model, noG)}
          </p>
          {counts && hidden && (
            <details className="verdict-details">
              <summary>details</summary>
              <ParamCounts counts={counts} hidden={hidden} />
            </details>
          )}
        </>
      )}
    </div>
  );
}
