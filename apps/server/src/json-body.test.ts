import { describe, expect, it } from 'vitest';
import { BadRequestError } from './bad-request-error.js';
import { parseJsonBody } from './json-body.js';

const refused = (text: string) => {
  try {
    parseJsonBody(text);
  } catch (error) {
    expect(BadRequestError.isInstance(error)).toBe(true);
    return { field: (error as BadRequestError).field, message: (error as Error).message };
  }
  throw new Error(`parseJsonBody accepted ${text}`);
};
const POISON = /^body holds a "__proto__" or "constructor\.prototype" key/;

describe('parseJsonBody', () => {
  it('parses an ordinary body exactly as JSON.parse does', () => {
    const body = {
      context: { user_seq: [0.5, -1e-30, 3] },
      candidates: Array.from({ length: 300 }, (_, i) => ({ itemId: `pin-${i}`, features: i % 7 ? {} : { cat: 'x' } })),
      topK: 25,
    };
    expect(parseJsonBody(JSON.stringify(body))).toEqual(body);
  });

  it('refuses __proto__ and constructor.prototype keys however they are spelled, at any depth', () => {
    for (const text of [
      '{"__proto__": {"topK": 1}, "candidates": []}',
      '{"candidates": [{"itemId": "a", "features": {"__proto__": {"polluted": true}}}]}',
      '{"\\u005f_proto__": {"polluted": true}}',
      '{"_\\u005Fpro\\u0074o__" : {}}',
      '{"context": {"constructor": {"prototype": {"polluted": true}}}}',
      '{"\\u0063onstructor": {"prototype": {}}}',
    ]) {
      expect(refused(text), text).toEqual({ field: 'body', message: expect.stringMatching(POISON) });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts the words __proto__ and constructor as values, and constructor without prototype', () => {
    expect(parseJsonBody('{"candidates": [{"itemId": "__proto__"}, {"itemId": "constructor"}]}')).toEqual({
      candidates: [{ itemId: '__proto__' }, { itemId: 'constructor' }],
    });
    expect(parseJsonBody('{"constructor": 1, "note": "\\u00e9t\\u00e9"}')).toEqual({ constructor: 1, note: 'été' });
  });

  it('ignores a byte-order mark; names empty and invalid bodies', () => {
    expect(parseJsonBody('\ufeff{"topK": 3}')).toEqual({ topK: 3 });
    for (const empty of ['', '  \n\t', '\ufeff']) {
      expect(refused(empty)).toEqual({ field: 'body', message: expect.stringMatching(/^body is empty; send a JSON object/) });
    }
    expect(refused('{"topK": ')).toEqual({ field: 'body', message: expect.stringMatching(/^body is not valid JSON: /) });
    expect(refused('{"topK": NaN}').message).toMatch(/^body is not valid JSON: /);
  });
});
