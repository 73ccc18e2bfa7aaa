// Bundles the CLI, the benchmark and the Lambda handlers with esbuild.
// Lambda bundles carry the AWS SDK (pinned by our lockfile, not the runtime's), are minified,
// and get the policies precompiled to validation code (see functions/lambda/bundled-policies.ts).
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  {
    in: 'functions/cli/main.ts',
    out: 'cli.mjs',
    banner: `#!/usr/bin/env node\n${requireShim}`,
    executable: true,
  },
  { in: 'bench/bench.ts', out: 'bench.mjs', banner: requireShim },
];
const lambdas = ['detector', 'scan-scheduler', 'scan-worker'].map((name) => ({
  in: `functions/lambda/${name}-handler.ts`,
  out: `lambda/${name}/index.mjs`,
  banner: requireShim,
  lambda: true,
}));
const entries = [...tools, ...lambdas].filter((e) => existsSync(join(root, e.in)));

/** Runs the TypeScript that generates the precompiled policy module, once per build. */
async function policyBundleSources() {
  const scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-build-'));
  try {
    const script = join(scratch, 'policy-bundle-source.mjs');
    await build({
      entryPoints: [join(root, 'functions/build/policy-bundle-source.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
      absWorkingDir: root,
    });
    // Resolve the script's bare imports from the repository's node_modules.
    const copy = join(root, 'dist', `.policy-bundle-source-${process.pid}.mjs`);
    copyFileSync(script, copy);
    try {
      const generator = await import(pathToFileURL(copy).href);
      return {
        ...(await generator.policyBundleSources(join(root, 'policies'))),
        invocation: generator.invocationValidatorSource(),
      };
    } finally {
      rmSync(copy, { force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const needsPolicies = entries.some((e) => e.lambda);
const policySources = needsPolicies ? await policyBundleSources() : null;

const lambdaOnly = {
  name: 'lambda-only',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: join(root, 'functions/build/lambda-credentials.mjs'),
    }));
    b.onResolve({ filter: /^bundled:policy-validators$/ }, () => ({
      path: 'policy-validators',
      namespace: 'bundled',
    }));
    b.onLoad({ filter: /.*/, namespace: 'bundled' }, () => ({
      contents: policySources.validators,
      loader: 'js',
      resolveDir: root,
    }));
    b.onLoad({ filter: /functions[\\/]lambda[\\/]invocation-validator\.ts$/ }, () => ({
      contents: policySources.invocation,
      loader: 'js',
      resolveDir: root,
    }));
    b.onLoad({ filter: /functions[\\/]lambda[\\/]bundled-policies\.ts$/ }, (args) => ({
      contents: policySources.wrapper,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const results = await Promise.all(
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
      plugins: e.lambda ? [lambdaOnly] : [],
      // The SDK's ES module builds tree-shake; its CommonJS builds (esbuild's node default) do not.
      mainFields: ['module', 'main'],
      metafile: true,
      logLevel: 'warning',
      legalComments: e.lambda ? 'none' : 'inline',
    }),
  ),
);

// npm links the package's own bin only at install time, before dist exists, so it never marks it
// executable; `npx ecr-sign-drift` in a fresh clone runs it directly.
for (const e of entries) if (e.executable) chmodSync(join(out, e.out), 0o755);

// Kept for `npm run bench`, which reports the Lambda bundle's size and what fills it.
results.forEach((result, i) => {
  if (entries[i].lambda)
    writeFileSync(join(out, dirname(entries[i].out), 'meta.json'), JSON.stringify(result.metafile));
});
