import { describe, expect, it } from 'vitest';
import { specJsonSchema } from './json-schema.js';

describe('specJsonSchema', () => {
  it('describes the input document, with defaults optional', () => {
    const schema = specJsonSchema() as { properties: Record<string, unknown>; required: string[]; title: string };
    expect(schema.title).toBe('thaw model spec v1');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['specVersion', 'features', 'architecture', 'tasks', 'utility', 'coldStart', 'training']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['specVersion', 'features', 'tasks']));
    expect(schema.required).not.toContain('coldStart');
  });
});
