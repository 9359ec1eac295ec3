import type { TimeFormat } from './column-mapping.js';

/** A raw cell: CSV gives strings; Parquet gives numbers, bigints, strings, booleans or Dates. */
export type Cell = string | number | bigint | boolean | Date | null | undefined;

/** Thrown by the parsers; the loader turns it into a `DataError` with file, line and column. */
export class CellError extends Error {}

const show = (cell: Cell) =>
  typeof cell === 'bigint' ? `${cell}` : JSON.stringify(cell instanceof Date ? cell.toISOString() : cell);

/** True for a missing cell: null, undefined or an empty/blank string. */
export function isEmptyCell(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** A finite number from a cell, or a {@link CellError} "expected a number (got "abc")". */
export function parseNumber(cell: Cell): number {
  let value: number;
  if (typeof cell === 'number') value = cell;
  else if (typeof cell === 'bigint') value = Number(cell);
  else if (typeof cell === 'boolean') value = cell ? 1 : 0;
  else if (typeof cell === 'string' && cell.trim() !== '') value = Number(cell);
  else value = Number.NaN;
  if (!Number.isFinite(value)) throw new CellError(`expected a number (got ${show(cell)})`);
  return value;
}

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time in seconds since the epoch from a cell written in `format`: `unixSeconds`,
 * `unixMillis`, `iso8601` (`2025-01-31`, `2025-01-31T12:00:00Z`; no zone = UTC) or `auto`
 * (numbers below 1e11 are seconds, larger ones milliseconds; strings are ISO 8601). Parquet
 * timestamps (Date) and bigints are accepted.
 */
export function parseTimestamp(cell: Cell, format: TimeFormat): number {
  if (cell instanceof Date) {
    const ms = cell.getTime();
    if (Number.isFinite(ms)) return ms / 1000;
  } else if (
    typeof cell === 'number' ||
    typeof cell === 'bigint' ||
    (typeof cell === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(cell))
  ) {
    if (format === 'iso8601')
      throw new CellError(`cannot parse timestamp ${show(cell)} (format iso8601 expects e.g. "2025-01-31T12:00:00Z")`);
    const value = Number(cell);
    if (Number.isFinite(value)) {
      if (format === 'unixMillis' || (format === 'auto' && Math.abs(value) >= 1e11)) return value / 1000;
      return value;
    }
  } else if (typeof cell === 'string' && ISO.test(cell.trim()) && format !== 'unixSeconds' && format !== 'unixMillis') {
    const text = cell.trim().replace(' ', 'T');
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw new CellError(`cannot parse timestamp ${show(cell)} (format ${format})`);
}

/** The string key of an id cell (`42`, `42n` and `"42"` agree), or a {@link CellError} when empty. */
export function parseKey(cell: Cell): string {
  if (isEmptyCell(cell)) throw new CellError('expected an id (got an empty value)');
  return categoryKey(cell);
}

/** A label or probability in [0, 1]. */
export function parseProbability(cell: Cell): number {
  const value = parseNumber(cell);
  if (value < 0 || value > 1) throw new CellError(`expected a label in [0, 1] (got ${show(cell)})`);
  return value;
}

/**
 * The vocabulary entry a categorical cell is looked up by: the trimmed text (`42`, `42n` and
 * `"42"` agree; a Parquet date gives its ISO 8601 form). Empty cells have none: they go to the
 * OOV row. `inferVocabularies` counts exactly these strings, so the vocabulary it builds matches
 * what the loaders look up.
 */
export function categoryKey(cell: Cell): string {
  return cell instanceof Date ? cell.toISOString() : String(cell).trim();
}
