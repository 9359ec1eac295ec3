import { describe, expect, it } from 'vitest';
import { encodeCategorical } from './encode-categorical.js';
import { hashToBucket } from './hash-id.js';
import { canonicalJson, specHash } from './spec-hash.js';

describe('hashToBucket', () => {
  it('is 32-bit FNV-1a (published test vectors) reduced mod buckets', () => {
    // FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(hashToBucket('', 2 ** 32 - 1)).toBe(0x811c9dc5 % (2 ** 32 - 1));
    expect(hashToBucket('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(hashToBucket('foobar', 1000)).toBe(0xbf9cf968 % 1000);
  });

  it('agrees across number, bigint and string ids and refuses bad bucket counts', () => {
    expect(hashToBucket(42, 97)).toBe(hashToBucket('42', 97));
    expect(hashToBucket(42n, 97)).toBe(hashToBucket('42', 97));
    expect(() => hashToBucket('a', 0)).toThrow('hashToBucket: buckets must be an integer ≥ 1 (got 0)');
  });
});

describe('encodeCategorical', () => {
  const feature = { vocabSize: 3, vocabulary: ['a', 'b', 'c'] };
  it('maps vocabulary values to rows and everything else to the OOV row', () => {
    expect(encodeCategorical(feature, 'b')).toBe(1);
    expect(encodeCategorical(feature, 'z')).toBe(3);
    expect(encodeCategorical(feature, null)).toBe(3);
  });
  it('uses integers directly when there is no vocabulary', () => {
    expect(encodeCategorical({ vocabSize: 5 }, 4)).toBe(4);
    expect(encodeCategorical({ vocabSize: 5 }, '2')).toBe(2);
    expect(encodeCategorical({ vocabSize: 5 }, 5)).toBe(5);
    expect(encodeCategorical({ vocabSize: 5 }, -1)).toBe(5);
    expect(encodeCategorical({ vocabSize: 5 }, 1.5)).toBe(5);
  });
});

describe('specHash', () => {
  it('ignores key order and changes with any value', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(specHash({ b: 1, a: 2 })).toBe(specHash({ a: 2, b: 1 }));
    expect(specHash({ a: 2, b: 1 })).not.toBe(specHash({ a: 2, b: 1.5 }));
    expect(specHash({})).toMatch(/^[0-9a-f]{16}$/);
  });
  it('is 64-bit FNV-1a of the canonical JSON', () => {
    // FNV-1a 64 of "{}" computed by hand from the offset basis and prime.
    let h = 0xcbf29ce484222325n;
    for (const c of [0x7b, 0x7d]) h = ((h ^ BigInt(c)) * 0x100000001b3n) & ((1n << 64n) - 1n);
    expect(specHash({})).toBe(h.toString(16).padStart(16, '0'));
  });
});
