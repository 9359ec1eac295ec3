import { escapeHtml } from '../escape.js';

/** Attribute values of an SVG element; `undefined`, `null` and `false` omit the attribute. */
export type Attributes = Readonly<Record<string, string | number | undefined | null | false>>;

/**
 * Rounds a pixel coordinate to 2 decimals (keeps `report.html` small; 0.01 px is invisible).
 *
 * @example px(12.34567) // 12.35
 */
export function px(value: number): number {
  return Math.round(value * 100) / 100 + 0;
}

/**
 * Serialises one SVG/HTML element. Attribute values are escaped and numbers rounded with {@link px};
 * `children` are already-serialised markup (use {@link text} for strings).
 *
 * @example element('circle', { cx: 1, r: 2, 'data-mark': 'point' }) // '<circle cx="1" r="2" data-mark="point"/>'
 */
export function element(tag: string, attributes: Attributes, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null && v !== false)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === 'number' ? String(px(v)) : String(v))}"`)
    .join('');
  return children.length === 0 ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${children.join('')}</${tag}>`;
}

/** Escaped text content for an element. @example text('a < b') // 'a &lt; b' */
export function text(content: string): string {
  return escapeHtml(content);
}

/** A native tooltip (`<title>`) for a mark: the exact value a reader can hover. */
export function tooltip(content: string): string {
  return element('title', {}, text(content));
}
