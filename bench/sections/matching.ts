import {
  createNaiveRepositoryMatcher,
  createRepositoryMatcher,
  type RepositoryMatcher,
} from '../../functions/core/matching/index.js';
import {
  compiledMinimatchMatcher,
  MINIMATCH_SEMANTICS_NOTE,
  minimatchPerCallMatcher,
  regExpPerFilterMatcher,
} from '../baseline-matchers.js';
import { type Measurement, measure, ratio } from '../harness.js';
import type { BenchSection } from '../sections.js';
import { worstCaseRegistry } from '../worst-case-registry.js';

/** The index must beat testing a RegExp per filter by at least this factor. */
const TARGET_RATIO_OVER_REGEXP = 5;

/** minimatch() recompiles most patterns on every call here; all 10,000 names would take about a minute. */
const PER_CALL_NAMES = 500;

const REGEXP_LABEL = 'RegExp per filter';

interface Contender {
  label: string;
  matcher: RepositoryMatcher;
  names: readonly string[];
  warmup: number;
  samples: number;
}

function matchAll(matcher: RepositoryMatcher, names: readonly string[]): number {
  let pairs = 0;
  for (const name of names) pairs += matcher.matchFilters(name).length;
  return pairs;
}

/** Timing a matcher that answers differently would compare different work: refuse. */
function assertSameAnswers(reference: RepositoryMatcher, contenders: readonly Contender[]): void {
  for (const { label, matcher, names } of contenders) {
    for (const name of names) {
      const expected = JSON.stringify(reference.matchFilters(name));
      if (JSON.stringify(matcher.matchFilters(name)) !== expected) {
        throw new Error(`${label} disagrees with the indexed matcher on '${name}'`);
      }
    }
  }
}

const times = (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}x`;

export const matchingSection: BenchSection = {
  id: 'matching',
  title: 'Matching: every (rule, filter) pair for 10,000 names, 10 rules x 100 filters',
  run() {
    const registry = worstCaseRegistry();
    const rules = registry.signingConfiguration?.rules ?? [];
    const names = registry.repositories.map((r) => r.repositoryName);
    const ours = createRepositoryMatcher(rules);
    const baselines: Contender[] = [
      {
        label: 'naive wildcardMatch loop',
        matcher: createNaiveRepositoryMatcher(rules),
        names,
        warmup: 1,
        samples: 5,
      },
      { label: REGEXP_LABEL, matcher: regExpPerFilterMatcher(rules), names, warmup: 1, samples: 5 },
      {
        label: 'minimatch, compiled per filter',
        matcher: compiledMinimatchMatcher(rules),
        names,
        warmup: 1,
        samples: 5,
      },
      {
        label: `minimatch() per call (${PER_CALL_NAMES} names)`,
        matcher: minimatchPerCallMatcher(rules),
        names: names.slice(0, PER_CALL_NAMES),
        warmup: 1,
        samples: 3,
      },
    ];
    assertSameAnswers(ours, baselines);

    const timed = (c: Contender) =>
      measure(c.label, () => matchAll(c.matcher, c.names), {
        warmup: c.warmup,
        samples: c.samples,
        operationsPerRun: c.names.length,
        operation: 'name',
      });
    const oursMeasured = timed({ label: 'ours (indexed)', matcher: ours, names, warmup: 5, samples: 21 });
    const baselineMeasured: Measurement[] = baselines.map(timed);
    const overRegExp = ratio(baselineMeasured.find((m) => m.label === REGEXP_LABEL)!, oursMeasured);
    const indexBuild = measure('ours: building the index', () => createRepositoryMatcher(rules), {
      warmup: 5,
      samples: 21,
      operation: 'build',
    });
    return {
      measurements: [oursMeasured, indexBuild, ...baselineMeasured],
      notes: [
        `${matchAll(ours, names)} matching (repository, filter) pairs; every matcher gave the same answers`,
        ...baselineMeasured.map((b) => `ours is ${times(ratio(b, oursMeasured))} faster than ${b.label}`),
        `target: at least ${TARGET_RATIO_OVER_REGEXP}x faster than ${REGEXP_LABEL} — ${overRegExp >= TARGET_RATIO_OVER_REGEXP ? 'met' : 'NOT met'}`,
        MINIMATCH_SEMANTICS_NOTE,
        `minimatch() per call is timed on the first ${PER_CALL_NAMES} names; its ratio compares time per name`,
      ],
    };
  },
};
