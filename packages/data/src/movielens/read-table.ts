import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from '../loaders/data-error.js';
import { CellError, parseNumber } from '../loaders/parse-values.js';

/** A delimited text file read whole, with the line of every record for error messages. */
export interface Table {
  readonly file: string;
  readonly columns: readonly string[];
  readonly records: readonly string[][];
  readonly lines: Int32Array;
}

/**
 * Reads a delimited file. With `header`, the first line names the columns and every name in
 * `required` must be there; without, `names` names them. Errors are one-line `DataError`s.
 */
export async function readTable(
  path: string,
  options: {
    delimiter: string;
    encoding?: BufferEncoding;
    required?: readonly string[];
    names?: readonly string[];
    quote?: boolean;
  },
): Promise<Table> {
  const file = basename(path);
  let text: string;
  try {
    text = await readFile(path, options.encoding ?? 'utf8');
  } catch (error) {
    throw new DataError({ file: path }, `cannot read the file (${(error as Error).message})`);
  }
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      bom: true,
      delimiter: options.delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      ...(options.quote === false ? { quote: false } : {}),
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new DataError({ file, ...(e.lines ? { line: e.lines } : {}) }, `malformed file: ${e.message}`);
  }
  const columns = options.names ?? parsed[0]?.record.map((c) => c.trim()) ?? [];
  const body = options.names ? parsed : parsed.slice(1);
  for (const column of options.required ?? []) {
    if (!columns.includes(column)) {
      throw new DataError({ file, line: 1, column }, `missing from the header (found: ${columns.join(', ')})`);
    }
  }
  return { file, columns, records: body.map((p) => p.record), lines: Int32Array.from(body, (p) => p.info.lines) };
}

/** Column index of `name` in a table (checked by `required`). */
export function columnIndex(table: Table, name: string): number {
  return table.columns.indexOf(name);
}

/** The cell at record `i`, column index `c`, parsed by `parse`; a bad cell becomes a DataError. */
export function cell<T>(table: Table, i: number, c: number, parse: (text: string) => T): T {
  const text = table.records[i]?.[c];
  try {
    if (text === undefined) throw new CellError(`missing value (the record has ${table.records[i]?.length ?? 0} fields)`);
    return parse(text);
  } catch (error) {
    if (error instanceof CellError) {
      throw new DataError(
        { file: table.file, line: table.lines[i] as number, column: table.columns[c] as string },
        error.message,
      );
    }
    throw error;
  }
}

/** A finite number cell. */
export const numberCell = (text: string): number => parseNumber(text);

/** An integer id cell. */
export const idCell = (text: string): number => {
  const v = parseNumber(text);
  if (!Number.isInteger(v)) throw new CellError(`expected an integer id (got ${JSON.stringify(text)})`);
  return v;
};
