/** One printed column: its heading and how its cells line up. */
export interface Column {
  heading: string;
  align?: 'left' | 'right';
}

/** A plain-text table: padded columns, a rule under the headings, no colour codes. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) =>
    Math.max(column.heading.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.heading)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join(
    '\n',
  );
}

export function formatKb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

export function formatMs(ms: number): string {
  return ms.toFixed(1);
}
