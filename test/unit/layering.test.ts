import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  importsOf,
  layeringViolations,
  readSourceModules,
  type SourceModule,
} from '../support/import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = readSourceModules(root, ['functions', 'bench', 'infra', 'test']);

const withModule = (path: string, source: string): SourceModule[] => [...project, { path, source }];

describe('layering', () => {
  it('reads the imports of every module, including type-only and dynamic ones', () => {
    const edges = importsOf({
      path: 'functions/run/x.ts',
      source: [
        "import type { A } from '../core/types.js';",
        "import {\n  b,\n  type C,\n} from '../core/facts/index.js';",
        "export { d } from './d.js';",
        "const e = await import('../scan/e.js');",
        "// import { f } from '../cli/f.js';",
        "import { Ajv } from 'ajv';",
      ].join('\n'),
    });
    expect(edges.map((e) => e.target ?? e.specifier)).toEqual([
      'functions/core/types.ts',
      'functions/core/facts/index.ts',
      'functions/run/d.ts',
      'ajv',
      'functions/scan/e.ts',
    ]);
  });

  it('finds the whole project within its layers', () => {
    expect(project.length).toBeGreaterThan(200);
    expect(layeringViolations(project)).toEqual([]);
  });

  it('refuses a core module that imports from outside core', () => {
    const violations = layeringViolations(
      withModule(
        'functions/core/facts/bad.ts',
        "import { loadPolicySet } from '../../files/load-policy-directory.js';",
      ),
    );
    expect(violations).toEqual([
      'functions/core/facts/bad.ts imports functions/files/load-policy-directory.ts: nothing in functions/core/ imports from outside it',
    ]);
  });

  it('refuses a core module that loads the SDK, does I/O or reads the environment', () => {
    const violations = layeringViolations(
      withModule(
        'functions/core/drift/bad.ts',
        "import { ECRClient } from '@aws-sdk/client-ecr';\nimport { readFile } from 'node:fs/promises';\nconst r = process.env.AWS_REGION;",
      ),
    );
    expect(violations).toEqual([
      'functions/core/drift/bad.ts reads process.env: the core reads no environment',
      'functions/core/drift/bad.ts imports @aws-sdk/client-ecr: the core imports no SDK and does no I/O',
      'functions/core/drift/bad.ts imports node:fs/promises: the core imports no SDK and does no I/O',
    ]);
  });

  it('refuses an import into a concept folder that bypasses its index', () => {
    const fromRun = layeringViolations(
      withModule('functions/run/bad.ts', "import { wildcardMatch } from '../core/matching/wildcard.js';"),
    );
    expect(fromRun).toEqual([
      'functions/run/bad.ts imports functions/core/matching/wildcard.ts: enter functions/core/matching/ through its index.ts',
    ]);
    const fromOtherConcept = layeringViolations(
      withModule('functions/core/planning/bad.ts', "import type { DriftReport } from '../drift/drift.js';"),
    );
    expect(fromOtherConcept).toHaveLength(1);
    expect(fromOtherConcept[0]).toContain('enter functions/core/drift/ through its index.ts');
  });

  it('lets a concept import its own files and the index of another', () => {
    expect(
      layeringViolations([
        {
          path: 'functions/core/facts/a.ts',
          source: "import { b } from './b.js';\nimport { m } from '../matching/index.js';",
        },
      ]),
    ).toEqual([]);
  });

  it('refuses an AWS adapter that imports the scan, the run or an entry point', () => {
    const violations = layeringViolations(
      withModule(
        'functions/aws/bad.ts',
        "import { a } from '../scan/scan-session.js';\nimport { b } from '../run/execute-run.js';",
      ),
    );
    expect(violations).toEqual([
      'functions/aws/bad.ts imports functions/scan/scan-session.ts: functions/aws/ never imports scan/',
      'functions/aws/bad.ts imports functions/run/execute-run.ts: functions/aws/ never imports run/',
    ]);
  });

  it('refuses a module that imports an entry point', () => {
    const violations = layeringViolations(
      withModule(
        'functions/run/bad.ts',
        "import { main } from '../cli/main.js';\nimport type { X } from '../lambda/invocation.js';",
      ),
    );
    expect(violations).toEqual([
      'functions/run/bad.ts imports functions/cli/main.ts: entry points (cli/) are imported by nothing',
      'functions/run/bad.ts imports functions/lambda/invocation.ts: entry points (lambda/) are imported by nothing',
    ]);
  });
});
