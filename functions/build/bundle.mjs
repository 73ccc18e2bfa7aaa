// Bundles the CLI, the benchmark and (later) the Lambda handlers with esbuild.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist');
mkdirSync(out, { recursive: true });

// ESM bundles that contain CommonJS dependencies need a require of their own.
const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const entries = [
  { in: 'functions/cli/main.ts', out: 'cli.mjs', banner: `#!/usr/bin/env node\n${requireShim}` },
  { in: 'bench/bench.ts', out: 'bench.mjs', banner: requireShim },
].filter((e) => existsSync(join(root, e.in)));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: [join(root, e.in)],
      outfile: join(out, e.out),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      banner: { js: e.banner },
      logLevel: 'warning',
    }),
  ),
);
