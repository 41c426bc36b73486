/**
 * The panel for image data sets, in place of the decision surface: a progress bar while the
 * data loads, then a fixed grid of test images with predicted and true labels (wrong ones
 * marked), the confusion matrix and the accuracy per class. The images are drawn once per data
 * set; each snapshot only changes labels, numbers and colours.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import { IMAGE_DATASET_INFO } from '../core/data/imageAssets';
import { IMAGE_ASSET_IDS, isImageDataset } from '../core/params';
import { appStore, selectMainProgress, selectMainSnapshot, useApp } from '../state/store';
import type { ImageDataMessage, ImageEval } from '../worker/protocol';
import './ImageResults.css';

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

const PHASE_WORDS: Record<string, string> = {
  manifest: 'Finding',
  download: 'Downloading',
  verify: 'Checking',
  decode: 'Unpacking',
  done: 'Preparing',
};

/** Loading the data (download progress), then building the model (Session I progress). */
function LoadingBar({ name, stage }: { name: string; stage: 'data' | 'model' }) {
  const loading = useApp((s) => (s.data.loading?.dataset === s.params.dataset ? s.data.loading : null));
  const build = useApp(selectMainProgress);
  let label: string;
  let fraction: number | null;
  if (stage === 'data' && loading?.phase !== 'done') {
    fraction = loading ? Math.max(0, Math.min(1, loading.fraction)) : null;
    const detail =
      loading && loading.phase === 'download' && loading.total > 0
        ? `: ${formatBytes(loading.loaded)} of ${formatBytes(loading.total)}`
        : '';
    label = `${PHASE_WORDS[loading?.phase ?? 'manifest']} ${name}${detail}…`;
  } else {
    fraction = build && build.total > 0 ? build.done / build.total : null;
    label = build ? `Session I: shaping g before training (${build.done}/${build.total} steps)…` : `Building the model for ${name}…`;
  }
  return (
    <div className="dataset-progress" data-testid="dataset-progress" data-stage={stage} role="status">
      <span>{label}</span>
      {fraction === null ? <progress aria-label={label} /> : <progress max={1} value={fraction} aria-label={label} />}
      {stage === 'data' && (
        <button type="button" className="btn btn-small" data-testid="cancel-download" onClick={() => appStore.getState().cancelDownload()}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** One sample image, drawn once (dark ink on light, pixel-sharp). */
const SampleImage = memo(function SampleImage({ pixels, width, height }: { pixels: Uint8ClampedArray; width: number; height: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    canvas.width = width;
    canvas.height = height;
    const img = new ImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = 255 - pixels[i];
      img.data[4 * i] = v;
      img.data[4 * i + 1] = v;
      img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    canvas.getContext('2d')!.putImageData(img, 0, 0);
  }, [pixels, width, height]);
  return <canvas ref={ref} className="sample-image" aria-hidden="true" />;
});

function SampleGrid({ info, evaluation }: { info: ImageDataMessage; evaluation: ImageEval | null }) {
  const px = info.width * info.height;
  const { indices, labels, pixels } = info.sample;
  // One stable view per image, so the memoised image canvases only redraw when the sample changes.
  const images = useMemo(() => Array.from(indices, (_, k) => pixels.subarray(k * px, (k + 1) * px)), [indices, pixels, px]);
  let wrong = 0;
  return (
    <div>
      <div className="sample-grid" data-testid="image-grid" aria-label="Test images with the network's predictions">
        {Array.from(indices, (idx, k) => {
          const truth = labels[k];
          const predicted = evaluation && k < evaluation.samplePredicted.length ? evaluation.samplePredicted[k] : -1;
          const correct = predicted < 0 ? null : predicted === truth;
          if (correct === false) wrong++;
          const trueName = info.classNames[truth] ?? String(truth);
          const predName = predicted < 0 ? '…' : (info.classNames[predicted] ?? String(predicted));
          return (
            <figure
              key={idx}
              className={`sample${correct === false ? ' wrong' : correct ? ' right' : ''}`}
              data-correct={correct === null ? 'unknown' : String(correct)}
              title={`Test image ${idx}: true ${trueName}, predicted ${predName}`}
            >
              <SampleImage pixels={images[k]} width={info.width} height={info.height} />
              <figcaption>
                <span className="pred" data-testid="sample-prediction">
                  {correct === false ? '✗ ' : correct ? '✓ ' : ''}
                  {predName}
                </span>
                {correct === false && <span className="truth">true {trueName}</span>}
              </figcaption>
            </figure>
          );
        })}
      </div>
      <p className="caption">
        {evaluation
          ? `${indices.length - wrong} of ${indices.length} shown test images right (✓ predicted label; ✗ wrong, with the true label).`
          : 'Predictions appear once the model is built.'}
      </p>
    </div>
  );
}

function shortName(name: string): string {
  return name.length <= 7 ? name : name.split(/[\s/-]/)[0].slice(0, 7);
}

/** "3" for digits (the name is the index), "3 Dress" otherwise. */
function classLabel(names: string[], c: number, short = false): string {
  const name = names[c] ?? '';
  if (name === String(c) || name === '') return String(c);
  return `${c} ${short ? shortName(name) : name}`;
}

function ConfusionMatrix({ info, evaluation }: { info: ImageDataMessage; evaluation: ImageEval }) {
  const n = evaluation.classes;
  const rowTotals = Array.from({ length: n }, (_, r) => {
    let t = 0;
    for (let c = 0; c < n; c++) t += evaluation.confusion[r * n + c];
    return t;
  });
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <caption>
        Confusion matrix on {evaluation.evaluated.toLocaleString('en-US')} test images: rows are the true class, columns the predicted one.
      </caption>
      <thead>
        <tr>
          <th scope="col" className="corner">
            true ↓ / pred. →
          </th>
          {Array.from({ length: n }, (_, c) => (
            <th key={c} scope="col" title={info.classNames[c]}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: n }, (_, r) => (
          <tr key={r}>
            <th scope="row" title={info.classNames[r]}>
              {classLabel(info.classNames, r, true)}
            </th>
            {Array.from({ length: n }, (_, c) => {
              const count = evaluation.confusion[r * n + c];
              const share = rowTotals[r] > 0 ? count / rowTotals[r] : 0;
              const diagonal = r === c;
              const alpha = count === 0 ? 0 : 0.12 + 0.78 * share;
              return (
                <td
                  key={c}
                  className={diagonal ? 'diag' : count > 0 ? 'off' : ''}
                  style={{
                    backgroundColor: count === 0 ? undefined : diagonal ? `rgba(33, 102, 172, ${alpha})` : `rgba(214, 96, 77, ${alpha})`,
                  }}
                  title={`true ${info.classNames[r]}, predicted ${info.classNames[c]}: ${count} of ${rowTotals[r]}`}
                >
                  {count > 0 ? count : ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PerClassAccuracy({ info, evaluation }: { info: ImageDataMessage; evaluation: ImageEval }) {
  return (
    <ol className="class-accuracy" data-testid="per-class-accuracy" aria-label="Test accuracy per class">
      {Array.from(evaluation.perClassAccuracy, (acc, c) => {
        const pct = Number.isFinite(acc) ? acc * 100 : null;
        return (
          <li key={c}>
            <span className="class-name">{classLabel(info.classNames, c)}</span>
            <span className="bar-track">
              <span className="bar" style={{ width: `${pct ?? 0}%` }} />
            </span>
            <span className="class-acc">{pct === null ? '–' : `${pct.toFixed(0)}%`}</span>
          </li>
        );
      })}
    </ol>
  );
}

export function ImageResults() {
  const dataset = useApp((s) => s.params.dataset);
  const info = useApp((s) => (s.data.images?.dataset === s.params.dataset ? s.data.images : null));
  const evaluation = useApp((s) => {
    const ev = selectMainSnapshot(s)?.images ?? null;
    return ev && ev.dataset === s.params.dataset && s.data.images?.dataset === s.params.dataset ? ev : null;
  });
  const failed = useApp((s) => {
    const snap = selectMainSnapshot(s);
    return snap?.status === 'error' && !(s.data.images?.dataset === s.params.dataset)
      ? (snap.message ?? 'the data could not be loaded')
      : null;
  });
  const name = isImageDataset(dataset) ? IMAGE_DATASET_INFO[IMAGE_ASSET_IDS[dataset]].name : dataset;

  return (
    <div className="image-results">
      <div className="panel-head">
        <h2>{name}: predictions</h2>
      </div>
      {failed ? (
        <div className="image-error" role="alert" data-testid="image-load-failed">
          <p>
            <strong>{failed.charAt(0).toUpperCase() + failed.slice(1)}.</strong>
          </p>
          <button type="button" className="btn btn-small" onClick={() => appStore.getState().reset()}>
            Try again
          </button>
        </div>
      ) : !info ? (
        <LoadingBar name={name} stage="data" />
      ) : (
        <>
          <SampleGrid info={info} evaluation={evaluation} />
          {evaluation ? (
            <div className="image-metrics">
              <ConfusionMatrix info={info} evaluation={evaluation} />
              <PerClassAccuracy info={info} evaluation={evaluation} />
            </div>
          ) : (
            <LoadingBar name={name} stage="model" />
          )}
        </>
      )}
    </div>
  );
}
