/**
 * Compare mode's summary table, one row per model, from core's summariseCompare (the export
 * computes the same numbers with the same function). Every number cell carries its summary
 * field and full-precision value (data-field, data-value; data-values for all of a cell's
 * numbers as JSON) so the table can be checked against the exported file.
 */
import type { CompareSummary } from '../../core/compare/summary';
import { modelColor } from '../../viz/colors';
import { HelpTip } from '../controls/HelpTip';
import { tableColumns, tableRows, type TableCell } from './compareFormat';

function cellData(cell: TableCell): Record<string, string> {
  if (cell.values.length === 0) return {};
  return {
    'data-field': cell.values[0].field,
    'data-value': cell.values[0].value,
    'data-values': `{${cell.values.map((v) => `${JSON.stringify(v.field)}:${v.value}`).join(',')}}`,
  };
}

export function CompareTableView({ summary }: { summary: CompareSummary }) {
  const columns = tableColumns(summary.targetAccuracy);
  const rows = tableRows(summary);
  return (
    <div className="compare-table-view">
      <div className="panel-head">
        <h2>Summary per model</h2>
      </div>
      <div className="compare-table-scroll">
        <table className="compare-table" data-testid="compare-table">
          <caption className="visually-hidden">
            One row per model: accuracy, learning speed, size, and how often g became a saddle compared with the same seeds before training.
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              {columns.map((c) => (
                <th scope="col" key={c.id} data-column={c.id}>
                  <span className="th-inner">
                    {c.title}
                    {c.help && <HelpTip id={`compare-help-${c.id}`} label={c.title} text={c.help} />}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.model} data-model={r.model}>
                <th scope="row">
                  <span className="model-swatch" style={{ background: modelColor(r.model) }} aria-hidden="true" />
                  {r.label}
                </th>
                {r.cells.map((cell) => (
                  <td key={cell.column} data-column={cell.column} title={cell.title} {...cellData(cell)}>
                    {cell.text}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
