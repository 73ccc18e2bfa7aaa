// Bundles the CLI, the benchmark and the Lambda handlers with esbuild.
// Lambda bundles carry the AWS SDK (pinned by our lockfile, not the runtime's) and are minified.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist');
mkdirSync(out, { recursive: true });
// functions/cli/version.ts reads it: snapshots and SARIF name the version that wrote them.
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// ESM bundles that contain CommonJS dependencies need a require of their own.
const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const tools = [
  { in: 'functions/cli/main.ts', out: 'cli.mjs', banner: `#!/usr/bin/env node\n${requireShim}` },
  { in: 'bench/bench.ts', out: 'bench.mjs', banner: requireShim },
];
const lambdas = ['detector', 'scan-scheduler', 'scan-worker'].map((name) => ({
  in: `functions/lambda/${name}-handler.ts`,
  out: `lambda/${name}/index.mjs`,
  banner: requireShim,
  lambda: true,
}));

const entries = [...tools, ...lambdas].filter((e) => existsSync(join(root, e.in)));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: [join(root, e.in)],
      outfile: join(out, e.out),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: e.lambda ? 'node22' : 'node20',
      minify: Boolean(e.lambda),
      sourcemap: e.lambda ? 'external' : 'linked',
      banner: { js: e.banner },
      define: { __TOOL_VERSION__: JSON.stringify(version) },
      logLevel: 'warning',
      legalComments: e.lambda ? 'none' : 'inline',
    }),
  ),
);
