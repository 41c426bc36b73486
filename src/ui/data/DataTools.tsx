/**
 * Under the data settings: upload a CSV of your own points (the limits stated beside the
 * button), export the current data set as CSV, and a line on what the data is.
 */
import { useRef, useState } from 'react';
import { CSV_LIMITS_TEXT, formatCsvErrors } from '../../core/data/csv';
import { classCounts } from '../../core/data/customData';
import { IMAGE_DATASET_INFO } from '../../core/data/imageAssets';
import { IMAGE_ASSET_IDS, isImageDataset } from '../../core/params';
import { selectCustomPoints } from '../../state/dataSlice';
import { appStore, useApp } from '../../state/store';
import { exportCurrentCsv, readPointsCsvFile } from './csvFiles';
import './data.css';

function DataSummary() {
  const dataset = useApp((s) => s.params.dataset);
  const points = useApp((s) => (s.params.dataset === 'custom' ? selectCustomPoints(s) : null));
  const fileName = useApp((s) => (s.params.dataset === 'custom' ? (s.data.custom?.name ?? null) : null));
  const images = useApp((s) => (s.data.images?.dataset === s.params.dataset ? s.data.images : null));
  if (points) {
    const [zero, one] = classCounts(points);
    return (
      <p className="data-summary" data-testid="data-summary">
        {fileName ? <>{fileName}: </> : null}
        {points.y.length.toLocaleString('en-US')} point{points.y.length === 1 ? '' : 's'} ({zero.toLocaleString('en-US')} orange,{' '}
        {one.toLocaleString('en-US')} blue).
        {points.y.length === 0 ? ' Draw on the plane at right, or upload a CSV.' : ''}
      </p>
    );
  }
  if (isImageDataset(dataset)) {
    const info = IMAGE_DATASET_INFO[IMAGE_ASSET_IDS[dataset]];
    return (
      <p className="data-summary" data-testid="data-summary">
        {info.name}
        {images
          ? `: ${images.trainCount.toLocaleString('en-US')} training and ${images.testCount.toLocaleString('en-US')} test images of ${images.width}×${images.height} pixels, 10 classes.`
          : ', 10 classes.'}
        {dataset === 'digits' ? ' Alpaydin & Kaynak, UCI, CC BY 4.0.' : ' Xiao, Rasul & Vollgraf, Zalando, MIT licence.'}
      </p>
    );
  }
  return null;
}

export function DataTools() {
  const fileRef = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState<string | null>(null);
  const canExport = useApp((s) => !isImageDataset(s.params.dataset));

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setReading(file.name);
    try {
      const result = await readPointsCsvFile(file);
      const store = appStore.getState();
      if (!result.ok) {
        // Nothing changes: the current data and run stay as they are.
        store.setDataNotice({ kind: 'csvErrors', fileName: file.name, lines: formatCsvErrors(result.errors) });
        return;
      }
      store.setCustomPoints(result.data, 'csv', { name: file.name });
      store.setDataNotice(result.warnings.length > 0 ? { kind: 'csvNotes', fileName: file.name, lines: result.warnings } : null);
    } finally {
      setReading(null);
      if (fileRef.current) fileRef.current.value = ''; // the same file can be chosen again
    }
  };

  return (
    <div className="data-tools">
      <DataSummary />
      <div className="data-buttons">
        <button
          type="button"
          className="btn btn-small"
          data-testid="upload-csv"
          disabled={reading !== null}
          onClick={() => fileRef.current?.click()}
        >
          {reading ? 'Reading…' : 'Upload CSV'}
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="CSV file of points to upload"
          data-testid="csv-input"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
        <button
          type="button"
          className="btn btn-small"
          data-testid="export-csv"
          disabled={!canExport}
          title={canExport ? 'Download the current data set (train and test points) as CSV' : 'Image data sets are not exported'}
          onClick={() => exportCurrentCsv(appStore.getState())}
        >
          Export CSV
        </button>
      </div>
      <p className="data-limits" data-testid="csv-limits">
        {CSV_LIMITS_TEXT}
      </p>
    </div>
  );
}
