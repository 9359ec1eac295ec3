import { element, text } from './svg.js';

/** The outer size of a chart and the edges (in px) of its plot area. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Space around the plot area for axes, labels and the legend, in px. */
export interface Margin {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/**
 * The plot area of a `width × height` chart after removing `margin`.
 *
 * @example chartFrame(400, 300, { top: 30, right: 10, bottom: 40, left: 50 }) // left 50, right 390, top 30, bottom 260
 */
export function chartFrame(width: number, height: number, margin: Margin = { top: 36, right: 16, bottom: 44, left: 56 }): Frame {
  const frame = {
    width,
    height,
    left: margin.left,
    right: width - margin.right,
    top: margin.top,
    bottom: height - margin.bottom,
  };
  if (!(frame.right > frame.left && frame.bottom > frame.top)) {
    throw new RangeError(`chartFrame: margins leave no plot area (size ${width}×${height}, margin ${JSON.stringify(margin)})`);
  }
  return frame;
}

/**
 * The `<svg>` root of a chart: scales with the page (`viewBox`), is announced as an image with
 * `label` as its accessible name and `<title>`.
 */
export function svgRoot(frame: Frame, label: string, ...body: string[]): string {
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${frame.width} ${frame.height}`,
      width: frame.width,
      height: frame.height,
      role: 'img',
      'aria-label': label,
      class: 'chart',
    },
    element('title', {}, text(label)),
    ...body,
  );
}
