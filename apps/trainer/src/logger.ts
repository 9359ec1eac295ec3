/** How the CLI talks: a live bar on a terminal, plain lines in logs and CI, JSON lines, or silence. */
export type LogMode = 'tty' | 'plain' | 'json' | 'quiet';

/** A long step's progress: `tick(n)` after n more units, `done()` at the end. */
export interface Progress {
  tick(units?: number, note?: string): void;
  done(summary?: string): void;
}

export interface Logger {
  readonly mode: LogMode;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Progress of a step of `total` units (examples, features …) with rate and ETA. */
  progress(label: string, total: number, unit?: string): Progress;
}

const formatSeconds = (s: number) => {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
};

const formatRate = (r: number) => (r >= 1000 ? `${(r / 1000).toFixed(1)}k` : r.toFixed(r >= 10 ? 0 : 1));

/**
 * Creates the CLI logger. `mode` defaults to `tty` when `stream` is a terminal, else `plain`.
 * Plain mode prints a progress line at most every `plainEvery` seconds and at the end, so CI logs
 * stay short; TTY mode redraws one line with a bar, units/s and the ETA.
 */
export function createLogger(
  options: { mode?: LogMode; stream?: NodeJS.WriteStream; now?: () => number; plainEvery?: number } = {},
): Logger {
  const stream = options.stream ?? process.stderr;
  const mode: LogMode = options.mode ?? (stream.isTTY ? 'tty' : 'plain');
  const now = options.now ?? (() => performance.now() / 1000);
  const plainEvery = options.plainEvery ?? 10;
  const write = (line: string) => stream.write(line);
  const emit = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (mode === 'quiet' && level !== 'warn') return;
    if (mode === 'json') write(`${JSON.stringify({ level, message, ...fields, time: new Date().toISOString() })}\n`);
    else write(`${level === 'warn' ? 'warning: ' : ''}${message}\n`);
  };
  return {
    mode,
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    progress(label, total, unit = 'ex') {
      const start = now();
      let done = 0;
      let lastPrint = start;
      const line = (note?: string) => {
        const elapsed = Math.max(now() - start, 1e-9);
        const rate = done / elapsed;
        const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
        const pct = total > 0 ? Math.min(100, (100 * done) / total) : 100;
        return {
          elapsed,
          rate,
          eta,
          pct,
          text: `${label} ${pct.toFixed(0).padStart(3)}% ${done}/${total} ${unit} · ${formatRate(rate)} ${unit}/s · ETA ${formatSeconds(eta)}${note ? ` · ${note}` : ''}`,
        };
      };
      return {
        tick(units = 1, note) {
          done += units;
          const t = now();
          if (mode === 'tty') {
            const { pct, text } = line(note);
            const width = 20;
            const filled = Math.round((pct / 100) * width);
            write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
          } else if ((mode === 'plain' || mode === 'json') && t - lastPrint >= plainEvery) {
            lastPrint = t;
            const { text, rate, eta } = line(note);
            if (mode === 'json') write(`${JSON.stringify({ level: 'progress', label, done, total, rate, eta })}\n`);
            else write(`${text}\n`);
          }
        },
        done(summary) {
          const { elapsed, rate } = line();
          const text = `${label} done: ${done} ${unit} in ${formatSeconds(elapsed)} (${formatRate(rate)} ${unit}/s)${summary ? ` · ${summary}` : ''}`;
          if (mode === 'tty') write(`\r${text}\u001b[K\n`);
          else if (mode === 'plain') write(`${text}\n`);
          else if (mode === 'json')
            write(`${JSON.stringify({ level: 'progress', label, done, total, rate, seconds: elapsed, finished: true })}\n`);
        },
      };
    },
  };
}
