import type { z } from 'zod';
import { describeValue, formatPath, valueAt } from './json-path.js';
import type { SpecIssue } from './spec-validation-error.js';

function expectation(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('must ')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) {
        return `must be one of ${(issue.options as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      }
      return 'does not match any allowed form';
    case 'too_small':
      return `must be ≥ ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ≤ ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues into thaw's messages: `<path> <what is allowed> (got <value>)`.
 *
 * Unknown keys get their own sentence naming the key and the allowed ones.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = formatPath([...path, key]);
        const parent = formatPath(path) || 'the spec';
        out.push({ path: full, message: `${parent} has an unknown key ${JSON.stringify(key)}; remove it or check its spelling` });
      }
      continue;
    }
    const where = formatPath(path) || 'the spec';
    const value = valueAt(input, path);
    const got = value === undefined ? 'missing' : `got ${describeValue(value)}`;
    out.push({ path: formatPath(path), message: `${where} ${expectation(issue)} (${got})` });
  }
  return out;
}
