import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium, inCi } from './inspect-report.js';

describe('findChromium (how the browser tests find, or miss, chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thaw-chromium-'));
  writeFileSync(join(dir, 'chromium'), '');

  it('uses CHROMIUM_PATH when set, and reports it missing when that file does not exist', () => {
    expect(findChromium({ CHROMIUM_PATH: join(dir, 'chromium'), PATH: '' })).toEqual({ path: join(dir, 'chromium') });
    expect(findChromium({ CHROMIUM_PATH: '/nonexistent/chromium', PATH: dir })).toEqual({
      missing: 'CHROMIUM_PATH=/nonexistent/chromium does not exist',
    });
  });

  it('else searches PATH for chromium or chromium-browser', () => {
    expect(findChromium({ PATH: `/nonexistent:${dir}` })).toEqual({ path: join(dir, 'chromium') });
    expect(findChromium({ PATH: '/nonexistent' })).toEqual({ missing: 'no chromium or chromium-browser on PATH' });
  });

  it('CI is CI=true or CI=1 (where a missing browser fails instead of skipping)', () => {
    expect([inCi({ CI: 'true' }), inCi({ CI: '1' }), inCi({}), inCi({ CI: 'false' })]).toEqual([true, true, false, false]);
  });
});
