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
import { ADVERSARIAL_CASE, worstCaseRegistry } from '../worst-case-registry.js';

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
    const adversarial = adversarialCase();
    return {
      measurements: [oursMeasured, indexBuild, ...baselineMeasured, ...adversarial.measurements],
      notes: [
        ...adversarial.notes,
        `${matchAll(ours, names)} matching (repository, filter) pairs; every matcher gave the same answers`,
        ...baselineMeasured.map((b) => `ours is ${times(ratio(b, oursMeasured))} faster than ${b.label}`),
        `target: at least ${TARGET_RATIO_OVER_REGEXP}x faster than ${REGEXP_LABEL} — ${overRegExp >= TARGET_RATIO_OVER_REGEXP ? 'met' : 'NOT met'}`,
        MINIMATCH_SEMANTICS_NOTE,
        `minimatch() per call is timed on the first ${PER_CALL_NAMES} names; its ratio compares time per name`,
      ],
    };
  },
};

/** `a*a*a*a*a*a*c*b` against `a{60}b`: a backtracking RegExp tries every split of the a's. */
function adversarialCase(): { measurements: Measurement[]; notes: string[] } {
  const rules = [
    {
      signingProfileArn: 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/adversarial',
      repositoryFilters: [{ filter: ADVERSARIAL_CASE.filter, filterType: 'WILDCARD_MATCH' as const }],
    },
  ];
  const names = [ADVERSARIAL_CASE.name];
  const ours = createRepositoryMatcher(rules);
  const regExp = regExpPerFilterMatcher(rules);
  const label = `adversarial: ${ADVERSARIAL_CASE.filter} vs a{60}b`;
  if (matchAll(ours, names) !== 0)
    throw new Error(`${ADVERSARIAL_CASE.filter} must not match ${ADVERSARIAL_CASE.name}`);
  assertSameAnswers(ours, [{ label: REGEXP_LABEL, matcher: regExp, names, warmup: 0, samples: 0 }]);
  // One test is about a microsecond: time 10,000 of them per sample.
  const repeated = Array.from({ length: 10_000 }, () => ADVERSARIAL_CASE.name);
  const oursMeasured = measure(`${label}, ours`, () => matchAll(ours, repeated), {
    warmup: 5,
    samples: 21,
    operationsPerRun: repeated.length,
    operation: 'test',
  });
  const regExpMeasured = measure(`${label}, ${REGEXP_LABEL}`, () => matchAll(regExp, names), {
    warmup: 0,
    samples: 3,
    operation: 'test',
  });
  return {
    measurements: [oursMeasured, regExpMeasured],
    notes: [
      `adversarial: both say no match; ours is ${times(ratio(regExpMeasured, oursMeasured))} faster than ${REGEXP_LABEL} (${((oursMeasured.medianMs / oursMeasured.operationsPerRun) * 1000).toFixed(2)} us against ${regExpMeasured.medianMs.toFixed(0)} ms per test) — target: linear, under 10 us per test: ${oursMeasured.medianMs / oursMeasured.operationsPerRun < 0.01 ? 'met' : 'NOT met'}`,
    ],
  };
}
