/**
 * What the user must know about the data: why an upload failed (each reason with its line,
 * nothing changed), remarks on an upload that worked, an image data set that did not load, and
 * a link that cannot carry the points (it needs the CSV).
 */
import { LINK_MAX_POINTS } from '../../core/data/pointsLink';
import { selectLinkNeedsCsv } from '../../state/dataSlice';
import { appStore, useApp } from '../../state/store';
import { CloseIcon } from '../icons';

function Dismiss({ label }: { label: string }) {
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={() => appStore.getState().setDataNotice(null)}>
      <CloseIcon />
    </button>
  );
}

/** A dismissible notice with a heading and one line per reason (upload errors or remarks). */
function LinesNotice(props: {
  tone: 'danger' | 'warn';
  testId: string;
  title: string;
  lines: string[];
  listClass?: string;
  dismiss: string;
}) {
  return (
    <div className={`notice notice-${props.tone}`} role={props.tone === 'danger' ? 'alert' : 'status'} data-testid={props.testId}>
      <div className="notice-body">
        <strong>{props.title}</strong>
        <ul className={props.listClass}>
          {props.lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </div>
      <Dismiss label={props.dismiss} />
    </div>
  );
}

function DataNotice() {
  const notice = useApp((s) => s.data.notice);
  if (!notice) return null;
  switch (notice.kind) {
    case 'csvErrors':
      return (
        <LinesNotice
          tone="danger"
          testId="csv-errors"
          title={`Could not use “${notice.fileName}”; nothing was changed.`}
          lines={notice.lines}
          listClass="csv-error-list"
          dismiss="Dismiss the upload errors"
        />
      );
    case 'csvNotes':
      return (
        <LinesNotice
          tone="warn"
          testId="csv-notes"
          title={`Loaded “${notice.fileName}”, with remarks:`}
          lines={notice.lines}
          dismiss="Dismiss the upload remarks"
        />
      );
    case 'loadError':
      return (
        <div className="notice notice-danger" role="alert" data-testid="dataset-error">
          <div className="notice-body">
            {notice.importFile ? (
              <>
                <strong>The run file needs this data set, which could not be loaded</strong> ({notice.message}). Nothing of the file was
                applied; Retry applies it whole.
              </>
            ) : (
              <>
                <strong>{notice.message.charAt(0).toUpperCase() + notice.message.slice(1)}.</strong>{' '}
                {notice.kept ? 'The previous data set is still loaded.' : ''}
              </>
            )}
          </div>
          <button type="button" className="btn btn-small" onClick={() => appStore.getState().retryDataset()}>
            Retry
          </button>
          <Dismiss label="Dismiss" />
        </div>
      );
  }
}

function LinkNeedsCsv() {
  const need = useApp(selectLinkNeedsCsv);
  if (!need) return null;
  return (
    <div className="notice notice-warn" role="status" data-testid="needs-csv">
      <div className="notice-body">
        {need === 'opened' ? (
          <>
            <strong>This link names your own data set but carries no points.</strong> Data sets of more than {LINK_MAX_POINTS} points travel
            as a CSV file, not in the link: upload the CSV that came with the link, or draw points on the plane.
          </>
        ) : (
          <>
            <strong>This data set is too large for the link</strong> (more than {LINK_MAX_POINTS} points): the link records only that you
            use your own data. To share the run, send the CSV too (Export CSV).
          </>
        )}
      </div>
    </div>
  );
}

export function DataNotices() {
  return (
    <>
      <DataNotice />
      <LinkNeedsCsv />
    </>
  );
}
