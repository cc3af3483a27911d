// The table behind a log of background work (the admin jobs page, the webhook delivery log): a heading
// that names the table, one row per entry, times in the short table format, and a line when it is empty.
import type { Key, ReactNode } from "react";
import { useFormat, useLang } from "~/i18n/use-t";

/** One column: its header, and either the cell's content or the instant it shows ("—" for none). */
export type LogColumn<Row> = {
  header: string;
  /** Class on the body cells, e.g. "break" for long unbroken text such as URLs, ids and errors. */
  className?: string;
  /** Numbers are right-aligned, the header with them ("num" on both), so digits line up under it. */
  numeric?: boolean;
} & ({ cell: (row: Row) => ReactNode } | { time: (row: Row) => string | Date | null });

export function ActivityLogTable<Row>({
  id,
  title,
  level,
  rows,
  rowKey,
  rowTestId,
  columns,
  empty,
  emptyClassName,
}: {
  /** Id of the heading, which gives the table its accessible name (aria-labelledby). */
  id: string;
  title: string;
  /** Where the log sits in the page's outline: a section of its own (2) or part of one (3). */
  level: 2 | 3;
  rows: readonly Row[];
  rowKey: (row: Row) => Key;
  /** data-testid on each body row, for tests that count or find the entries. */
  rowTestId?: string;
  columns: readonly LogColumn<Row>[];
  /** What to say when there is nothing to list: no empty table is drawn. */
  empty: string;
  emptyClassName?: string;
}) {
  const lang = useLang();
  const f = useFormat();
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <>
      <Heading id={id}>{title}</Heading>
      {rows.length === 0 ? (
        <p className={emptyClassName}>{empty}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby={id}>
            <thead>
              <tr>
                {/* The columns are fixed for a table, so their position is a stable key (headers may repeat). */}
                {columns.map((c, i) => (
                  <th key={i} scope="col" className={c.numeric ? "num" : undefined}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)} data-testid={rowTestId}>
                  {columns.map((c, i) =>
                    "time" in c ? (
                      // Instants never wrap, so a column of them reads as a column.
                      <td key={i} className={cellClass(c, "nowrap")}>
                        {f.shortDateTime(c.time(row))}
                      </td>
                    ) : (
                      <td key={i} className={cellClass(c)}>
                        {c.cell(row)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function cellClass(column: { numeric?: boolean; className?: string }, base?: string): string | undefined {
  return [base, column.numeric ? "num" : null, column.className].filter(Boolean).join(" ") || undefined;
}
