const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML/SVG element content and double- or single-quoted attribute values.
 *
 * Every string that reaches the report (variant, task and feature names, file paths, notes) passes
 * through here, so a results file cannot inject markup or script into `report.html`.
 *
 * @example escapeHtml('<b>"a" & b</b>') // '&lt;b&gt;&quot;a&quot; &amp; b&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/**
 * Escapes text for one cell of a GitHub-flavoured markdown table while keeping it readable in a
 * terminal: backslash, pipe, `*` and backtick are backslash-escaped, `_` only where it could
 * start or end emphasis (GFM ignores intraword underscores, so `grid_click` stays as is), `<` only
 * where it could open a tag or autolink (`a < b` stays), and line breaks become spaces.
 *
 * @example escapeMarkdownCell('a|b*c <x> grid_click _y_') // 'a\\|b\\*c &lt;x> grid_click \\_y\\_'
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/[\\|*`]/g, (c) => `\\${c}`)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/\r?\n/g, ' ');
}
