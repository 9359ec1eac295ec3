import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema } from 'hyparquet';
import { DataError } from './data-error.js';
import { type Cell, CellError } from './parse-values.js';

/** Where a row is in its file: a 1-based line (text) and/or a 0-based data row. */
export interface RowLocation {
  readonly line?: number;
  readonly row?: number;
}

/** One source row: a cell getter by column name and where the row is. Valid until the next row. */
export interface SourceRow {
  readonly get: (column: string) => Cell;
  readonly location: RowLocation;
}

/**
 * Parses one cell of a row; a {@link CellError} becomes a one-line {@link DataError} naming the
 * file, the line or row and the column.
 */
export function readCell<T>(file: string, row: SourceRow, column: string, parse: (cell: Cell) => T): T {
  try {
    return parse(row.get(column));
  } catch (error) {
    if (error instanceof CellError) throw new DataError({ file, ...row.location, column }, error.message);
    throw error;
  }
}

/**
 * Throws a {@link DataError} for the first of `required` that `header` lacks, naming the file,
 * the column and what the file has.
 */
export function checkColumns(file: string, required: readonly string[], header: readonly string[], location: RowLocation): void {
  const present = new Set(header);
  for (const column of required) {
    if (!present.has(column)) {
      throw new DataError(
        { file, ...location, column },
        `missing from the file (the column mapping needs it; the file has ${header.length} columns: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''})`,
      );
    }
  }
}

/** Options of {@link csvRows}. */
export interface CsvRowOptions {
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
}

/**
 * Streams a CSV file's data rows (csv-parse; BOM, blank lines skipped), after checking its
 * header has every `required` column. Locations are 1-based lines (the header is line 1).
 * Malformed CSV throws a {@link DataError} naming the file and line.
 */
export async function* csvRows(
  file: string,
  required: readonly string[],
  options: CsvRowOptions = {},
): AsyncGenerator<SourceRow> {
  let headerError: unknown;
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      delimiter: options.delimiter ?? ',',
      columns: (header: string[]) => {
        try {
          checkColumns(file, required, header, { line: 1 });
        } catch (error) {
          headerError = error;
          throw error;
        }
        return header;
      },
    }),
  );
  const records = parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    for await (const { record, info } of records) yield { get: (column) => record[column], location: { line: info.lines } };
  } catch (error) {
    if (headerError) throw headerError;
    if (DataError.isInstance(error)) throw error;
    const e = error as { code?: string; lines?: number; message?: string };
    if (e.code?.startsWith('CSV_'))
      throw new DataError({ file, ...(e.lines ? { line: e.lines } : {}) }, `malformed CSV: ${e.message}`);
    throw error;
  } finally {
    parser.destroy();
  }
}

/**
 * Streams a Parquet file's rows one row group at a time (hyparquet), reading only `columns`,
 * after checking the schema has every `required` column. Locations are 0-based rows.
 */
export async function* parquetRows(
  file: string,
  required: readonly string[],
  columns: readonly string[] = required,
): AsyncGenerator<SourceRow> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  checkColumns(
    file,
    required,
    parquetSchema(metadata).children.map((c) => c.element.name),
    {},
  );
  const scan = await parquetScan({ file: buffer, metadata, columns: [...columns] });
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rowStart = groupStart;
    const rowEnd = rowStart + Number(group.num_rows);
    groupStart = rowEnd;
    if (rowEnd === rowStart) continue;
    const data = new Map<string, ArrayLike<unknown>>();
    for (const column of columns) data.set(column, await scan.readColumn({ column, rowStart, rowEnd }));
    for (let i = 0; i < rowEnd - rowStart; i++) {
      yield { get: (column) => data.get(column)?.[i] as Cell, location: { row: rowStart + i } };
    }
  }
}

/** The file format of a path: Parquet for `.parquet` / `.pq`, CSV otherwise. */
export function fileFormat(file: string): 'csv' | 'parquet' {
  return /\.(parquet|pq)$/i.test(file) ? 'parquet' : 'csv';
}
