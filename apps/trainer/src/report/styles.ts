/**
 * The report's inline stylesheet: system fonts only (no web fonts, no network), a light print-
 * friendly theme, and the chart series colours `s0` (baseline, slate, dashed lines) and `s1`
 * (compared variant, blue), distinguishable in greyscale by the dash pattern.
 */
export const reportCss = `
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --rule: #d1d5db; --s0: #64748b; --s1: #2563eb; --s2: #d97706; --s3: #059669; --warn: #b45309; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-top: 12px; border-top: 1px solid var(--rule); }
.meta, .note, figcaption, footer { color: var(--muted); font-size: 12.5px; }
.note { margin: 4px 0; max-width: 980px; }
.verdict { padding: 10px 14px; border-radius: 6px; background: #ecfdf5; border: 1px solid #a7f3d0; margin: 16px 0; }
.verdict.warn { background: #fffbeb; border-color: #fcd34d; color: var(--warn); font-weight: 600; }
.not-computed { padding: 8px 12px; border: 1px dashed var(--rule); border-radius: 6px; background: #f9fafb; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 12px 0 6px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 6px; white-space: nowrap; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--rule); font-weight: 600; white-space: nowrap; }
tr.groups th { text-align: center; border-bottom: 1px solid var(--rule); color: var(--muted); }
tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right; white-space: nowrap; }
.detail { display: block; color: var(--muted); font-size: 11px; }
.marker { color: var(--warn); font-weight: 700; margin-left: 1px; }
figure { margin: 12px 0 20px; }
.figure-row { display: flex; flex-wrap: wrap; gap: 16px; }
.figure-row figure { flex: 1 1 440px; }
.panels { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.panel-title { font-weight: 600; }
svg.chart { max-width: 100%; height: auto; font: 11.5px system-ui, "Liberation Sans", sans-serif; }
.chart text { fill: var(--ink); }
.axis line, .axis .domain { stroke: #9ca3af; }
.axis .grid { stroke: #eef0f3; }
.axis-title { fill: var(--muted) !important; font-size: 12px; }
.reference line { stroke: #9ca3af; stroke-dasharray: 4 3; }
.reference text, .bar-label { fill: var(--muted) !important; font-size: 10.5px; }
.line { fill: none; stroke-width: 2; }
.line.s0 { stroke-dasharray: 6 3; }
.s0 { stroke: var(--s0); fill: var(--s0); } .s1 { stroke: var(--s1); fill: var(--s1); }
.s2 { stroke: var(--s2); fill: var(--s2); } .s3 { stroke: var(--s3); fill: var(--s3); }
.line.s0, .line.s1, .line.s2, .line.s3 { fill: none; }
.point { fill-opacity: 0.8; stroke: #fff; stroke-width: 0.8; }
.bar { stroke: none; }
.box rect { fill-opacity: 0.15; stroke-width: 1.2; }
.box .whisker { stroke-width: 1; }
.box .median { stroke-width: 2.5; }
.swatch { stroke: none; }
`;
