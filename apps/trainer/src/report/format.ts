/**
 * Number formatting shared by the HTML, markdown and text reports, so the three show the same
 * digits. All functions are locale-independent (the report must not depend on the machine).
 */

/** Fixed decimals, `−0` shown as `0`. `NaN`/`±Infinity` show as `n/a`. @example fixed(0.41236, 3) // '0.412' */
export function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Fixed decimals with an explicit sign (`+1.32`, `-0.40`, `0.00`). @example signed(1.316, 2) // '+1.32' */
export function signed(value: number, digits: number): string {
  const text = fixed(value, digits);
  return text === 'n/a' || text.startsWith('-') || Number(text) === 0 ? text : `+${text}`;
}

/** A fraction shown as a percentage (`0.1365` → `13.65%`). @example percent(0.1365, 2) // '13.65%' */
export function percent(fraction: number, digits: number): string {
  const text = fixed(fraction * 100, digits);
  return text === 'n/a' ? text : `${text}%`;
}

/** An integer count with thin thousands separators (`1,234,567`). @example count(1234567) // '1,234,567' */
export function count(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A 95% interval of lifts in % (`[+0.41, +2.23]`). @example interval([0.41, 2.234], 2) // '[+0.41, +2.23]' */
export function interval(bounds: readonly [number, number], digits: number): string {
  return `[${signed(bounds[0], digits)}, ${signed(bounds[1], digits)}]`;
}

/** Per-seed spread as `min..max` (`-0.4..+1.9`), or the single value for one seed, or `''` for none. */
export function spread(values: readonly number[], digits: number): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.length === 1 ? signed(min, digits) : `${signed(min, digits)}..${signed(max, digits)}`;
}

/** A duration in seconds as `42.0 s`, `3 min 05 s` or `1 h 02 min`. @example duration(185) // '3 min 05 s' */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  if (seconds < 60) return `${fixed(seconds, 1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}
