import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

describe('createLogger', () => {
  it('plain mode prints at most every N seconds, with rate and ETA', () => {
    const { stream, chunks } = sink(false);
    let t = 0;
    const log = createLogger({ stream, now: () => t, plainEvery: 10 });
    expect(log.mode).toBe('plain');
    const p = log.progress('train baseline', 1000);
    t = 5;
    p.tick(100); // 5 s: too early to print
    t = 10;
    p.tick(100); // 200 ex in 10 s = 20 ex/s, 800 left → 40 s
    t = 12;
    p.tick(100);
    p.done();
    expect(chunks).toEqual([
      'train baseline  20% 200/1000 ex · 20 ex/s · ETA 40s\n',
      'train baseline done: 300 ex in 12s (25 ex/s)\n',
    ]);
  });

  it('tty mode redraws one line with a bar', () => {
    const { stream, chunks } = sink(true);
    let t = 0;
    const log = createLogger({ stream, now: () => t });
    const p = log.progress('eval', 10, 'req');
    t = 1;
    p.tick(5);
    expect(chunks[0]).toBe('\r[##########..........] eval  50% 5/10 req · 5.0 req/s · ETA 1s\u001b[K');
  });

  it('json mode writes JSON lines; quiet mode prints only warnings', () => {
    const json = sink(false);
    createLogger({ stream: json.stream, mode: 'json' }).info('hello', { variant: 'all' });
    expect(JSON.parse(json.chunks[0] as string)).toMatchObject({ level: 'info', message: 'hello', variant: 'all' });
    const quiet = sink(false);
    const log = createLogger({ stream: quiet.stream, mode: 'quiet' });
    log.info('hidden');
    log.progress('x', 1).tick();
    log.warn('shown');
    expect(quiet.chunks).toEqual(['warning: shown\n']);
  });
});
