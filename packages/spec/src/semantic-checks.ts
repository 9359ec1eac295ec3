import { describeValue } from './json-path.js';
import type { SpecIssue } from './spec-validation-error.js';
import type { ModelSpec } from './types.js';

/**
 * Checks that span several fields and cannot be expressed in the schema: unique names, utility
 * weights that match the tasks, stats and vocabularies that match their feature, and techniques
 * that need non-historical features.
 */
export function semanticChecks(spec: ModelSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const push = (path: string, message: string) => issues.push({ path, message: `${path} ${message}` });

  issues.push(...crossReferenceChecks(spec));
  spec.features.forEach((feature, i) => {
    if (feature.kind === 'dense') {
      for (const key of ['mean', 'std'] as const) {
        const list = feature.stats?.[key];
        if (list && list.length !== feature.dim) {
          push(`features[${i}].stats.${key}`, `must have ${feature.dim} values, one per dimension (got ${list.length})`);
        }
      }
      if (feature.fill && feature.fill.length !== feature.dim) {
        push(`features[${i}].fill`, `must have ${feature.dim} values, one per dimension (got ${feature.fill.length})`);
      }
    }
    if (feature.kind === 'categorical' && feature.vocabulary) {
      if (feature.vocabulary.length > feature.vocabSize) {
        push(
          `features[${i}].vocabulary`,
          `must have at most vocabSize = ${feature.vocabSize} entries (got ${feature.vocabulary.length})`,
        );
      }
      const seen = new Set<string>();
      feature.vocabulary.forEach((value, k) => {
        if (seen.has(value)) push(`features[${i}].vocabulary[${k}]`, `must be unique (got ${describeValue(value)} twice)`);
        seen.add(value);
      });
    }
  });

  const nonHistorical = spec.features.filter((f) => f.group === 'nonHistorical').length;
  const historical = spec.features.filter((f) => f.group === 'historical').length;
  if (spec.architecture.residual.enabled && nonHistorical === 0) {
    push(
      'architecture.residual.enabled',
      'must be false when no feature has group "nonHistorical" (the residual path projects x_nh, eq 3)',
    );
  }
  const excluded = spec.architecture.residual.exclude ?? [];
  excluded.forEach((featureName, k) => {
    const feature = spec.features.find((f) => f.name === featureName);
    if (!feature)
      push(`architecture.residual.exclude[${k}]`, `must name a feature of the spec (got ${describeValue(featureName)})`);
    else if (feature.group !== 'nonHistorical') {
      push(
        `architecture.residual.exclude[${k}]`,
        `must name a "nonHistorical" feature: only x_nh enters the residual path (${describeValue(featureName)} is historical)`,
      );
    }
    if (excluded.indexOf(featureName) !== k)
      push(`architecture.residual.exclude[${k}]`, `must not repeat a feature (got ${describeValue(featureName)} twice)`);
  });
  const kept = spec.features.filter((f) => f.group === 'nonHistorical' && !excluded.includes(f.name)).length;
  if (spec.architecture.residual.enabled && nonHistorical > 0 && kept === 0) {
    push(
      'architecture.residual.exclude',
      'must leave at least one non-historical feature on the residual path when residual is enabled',
    );
  }
  if (spec.coldStart.aldi.enabled && nonHistorical === 0) {
    push(
      'coldStart.aldi.enabled',
      'must be false when no feature has group "nonHistorical" (the ALDI student sees only content features)',
    );
  }
  if (spec.coldStart.aldi.enabled && !spec.features.some((f) => f.group === 'historical' && f.source === 'item')) {
    push(
      'coldStart.aldi.enabled',
      'must be false when no historical feature has source "item" (the ALDI student replaces the item-side history)',
    );
  }
  if (spec.coldStart.dropout.enabled && historical === 0) {
    push(
      'coldStart.dropout.enabled',
      'must be false when no feature has group "historical" (Dropout zeroes historical features)',
    );
  }
  if (spec.architecture.structure === 'parallel' && spec.architecture.deep.units.length === 0) {
    push('architecture.deep.units', 'must list at least one layer width when structure is "parallel"');
  }
  if (spec.architecture.cross.lowRank !== undefined && spec.architecture.cross.count === 0) {
    push('architecture.cross.lowRank', 'must be omitted when cross.count is 0 (there is no cross layer to factorise)');
  }
  return issues;
}

type Loose = { name?: unknown };

/**
 * Checks that names refer to each other correctly — unique feature and task names, one utility
 * weight per task. Runs on the raw document too, so these problems are listed alongside schema
 * problems.
 */
export function crossReferenceChecks(json: unknown): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const push = (path: string, message: string) => issues.push({ path, message: `${path} ${message}` });
  const doc = (typeof json === 'object' && json !== null ? json : {}) as {
    features?: unknown;
    tasks?: unknown;
    utility?: unknown;
  };
  const names = (list: unknown): (string | undefined)[] =>
    Array.isArray(list)
      ? list.map((x) => (typeof (x as Loose)?.name === 'string' ? ((x as Loose).name as string) : undefined))
      : [];
  const uniqueness = (section: string, list: (string | undefined)[]) => {
    const first = new Map<string, number>();
    list.forEach((name, i) => {
      if (name === undefined) return;
      const earlier = first.get(name);
      if (earlier !== undefined)
        push(`${section}[${i}].name`, `must be unique (got ${JSON.stringify(name)}, already used by ${section}[${earlier}])`);
      else first.set(name, i);
    });
    return first;
  };
  uniqueness('features', names(doc.features));
  const tasks = uniqueness('tasks', names(doc.tasks));
  const utility = doc.utility;
  if (typeof utility === 'object' && utility !== null && !Array.isArray(utility) && tasks.size > 0) {
    for (const task of tasks.keys()) {
      if (!Object.hasOwn(utility, task))
        push(`utility.${task}`, `must give a utility weight for task ${JSON.stringify(task)} (missing)`);
    }
    for (const key of Object.keys(utility)) {
      if (!tasks.has(key)) {
        push(
          `utility.${key}`,
          `must name a task (got ${JSON.stringify(key)}; tasks are ${[...tasks.keys()].map((t) => JSON.stringify(t)).join(', ')})`,
        );
      }
    }
  }
  return issues;
}
