const marker = Symbol.for('thaw.data.DataError');

/** Where in a source file a {@link DataError} happened. */
export interface DataErrorLocation {
  /** The file (as given to the loader). */
  readonly file: string;
  /** 1-based line of a text file (CSV: the header is line 1). */
  readonly line?: number;
  /** 0-based data row (Parquet; and CSV, counting data rows only). */
  readonly row?: number;
  /** The source column. */
  readonly column?: string;
}

/**
 * A problem in input data, located precisely: the message is one line naming the file, the
 * line or row and the column, what was found and what is expected —
 * `impressions.csv:17: column "ts": cannot parse timestamp "yesterday" (format iso8601)`.
 *
 * `DataError.isInstance(e)` works across duplicate installs of the package.
 */
export class DataError extends Error {
  readonly [marker] = true;
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
  readonly column?: string;

  constructor(location: DataErrorLocation, problem: string) {
    const where =
      location.line !== undefined
        ? `${location.file}:${location.line}`
        : location.row !== undefined
          ? `${location.file}: row ${location.row}`
          : location.file;
    const column = location.column !== undefined ? ` column ${JSON.stringify(location.column)}:` : '';
    super(`${where}:${column} ${problem}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'DataError';
    this.file = location.file;
    if (location.line !== undefined) this.line = location.line;
    if (location.row !== undefined) this.row = location.row;
    if (location.column !== undefined) this.column = location.column;
  }

  /** True for a `DataError` from any copy of `@thaw/data`. */
  static isInstance(error: unknown): error is DataError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
