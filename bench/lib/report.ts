/** One line of the results table. */
export interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The peer measured side by side in the same run, when there is one. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** value / baseline.value */
  readonly ratio?: number;
  readonly target?: string;
  readonly met?: boolean;
}

export function printTable(rows: readonly Row[]): void {
  console.log(formatTable(rows));
}

/** The rows as a Markdown table (what the README shows). */
export function formatTable(rows: readonly Row[]): string {
  const lines = rows.map((row) => [
    row.scenario,
    row.metric,
    `${row.value} ${row.unit}`,
    row.baseline ? `${row.baseline.value} ${row.unit} (${row.baseline.name})` : '',
    row.ratio === undefined ? '' : `${row.ratio}×`,
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const header = ['scenario', 'metric', 'seatlock', 'baseline', 'ratio', 'target', 'met'];
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const format = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}
