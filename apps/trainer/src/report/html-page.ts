import { escapeHtml } from './escape.js';
import { reportCss } from './styles.js';

/** Blocks every network request and every script: a page is provably self-contained. */
export const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * The page shell every thaw-train report shares: doctype, a Content-Security-Policy forbidding
 * scripts and network, the report's inline stylesheet, an `<h1>` title, the header lines (raw
 * HTML, already escaped), the sections (raw HTML) and a footer sentence (escaped here).
 *
 * @example htmlPage({ title: 'thaw-train report: sim:demo', header: ['<p class="meta">…</p>'], sections, footer: 'Written by …' })
 */
export function htmlPage(page: {
  title: string;
  header: readonly string[];
  sections: readonly string[];
  footer: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${reportCss}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(page.title)}</h1>
${page.header.join('\n')}
</header>
${page.sections.join('\n')}
<footer><p>${escapeHtml(page.footer)}</p></footer>
</main>
</body>
</html>
`;
}
