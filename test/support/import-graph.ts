/**
 * The project's import graph, read from source text, and the layering rules it must keep.
 * Type-only imports count: a layer that needs another's types depends on it as much as one
 * that calls it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

export interface SourceModule {
  /** Repository-relative path with forward slashes, e.g. `functions/core/facts/facts.ts`. */
  path: string;
  source: string;
}

export interface ImportEdge {
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** Repository-relative target for relative specifiers (`.js` read as the `.ts` source), else undefined. */
  target?: string;
}

const STATIC_IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function importsOf(module: SourceModule): ImportEdge[] {
  const text = withoutComments(module.source);
  const edges: ImportEdge[] = [];
  for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1]!;
      const edge: ImportEdge = { from: module.path, specifier };
      if (specifier.startsWith('.')) {
        const resolved = posix.normalize(posix.join(posix.dirname(module.path), specifier));
        edge.target = resolved.replace(/\.(m?)js$/, (_, m: string) => (m ? '.mjs' : '.ts'));
      }
      edges.push(edge);
    }
  }
  return edges;
}

/** The folders of `functions/core/` that hold one concept each; the rest of core's top level is shared. */
function coreConcept(path: string): string | undefined {
  const match = /^functions\/core\/([^/]+)\//.exec(path);
  return match ? match[1] : undefined;
}

const layerOf = (path: string): string | undefined => /^functions\/([^/]+)\//.exec(path)?.[1];

/** Packages the pure core must never load: AWS SDK, its HTTP stack, Lambda runtime tooling, I/O. */
const FORBIDDEN_IN_CORE = [
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@aws-lambda-powertools\//,
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|os|process|worker_threads|dns)$/,
];

/**
 * Every broken rule, one line each:
 * - nothing in `functions/core/` imports from outside it, nor an SDK, I/O module or the environment;
 * - a concept folder of core is entered only through its `index.ts` (by other folders and by
 *   `functions/`, `bench/` and `infra/`; unit tests may reach a concept's files);
 * - `functions/aws/` never imports `scan/`, `run/` or an entry point;
 * - the entry points (`functions/cli/`, `functions/lambda/`) are imported by nothing but themselves
 *   (the build, which bundles them, and tests excepted).
 */
export function layeringViolations(modules: readonly SourceModule[]): string[] {
  const violations: string[] = [];
  for (const module of modules) {
    const fromLayer = layerOf(module.path);
    const fromConcept = coreConcept(module.path);
    const isTest = module.path.startsWith('test/');
    if (fromLayer === 'core' && /\bprocess\.env\b/.test(withoutComments(module.source))) {
      violations.push(`${module.path} reads process.env: the core reads no environment`);
    }
    for (const edge of importsOf(module)) {
      const { target } = edge;
      if (fromLayer === 'core') {
        if (target && !target.startsWith('functions/core/')) {
          violations.push(
            `${module.path} imports ${target}: nothing in functions/core/ imports from outside it`,
          );
        }
        if (!target && FORBIDDEN_IN_CORE.some((p) => p.test(edge.specifier))) {
          violations.push(
            `${module.path} imports ${edge.specifier}: the core imports no SDK and does no I/O`,
          );
        }
      }
      if (!target) continue;
      const toConcept = coreConcept(target);
      if (toConcept && toConcept !== fromConcept && !isTest && !/\/index\.ts$/.test(target)) {
        violations.push(
          `${module.path} imports ${target}: enter functions/core/${toConcept}/ through its index.ts`,
        );
      }
      const toLayer = layerOf(target);
      if (fromLayer === 'aws' && ['scan', 'run', 'cli', 'lambda'].includes(toLayer ?? '')) {
        violations.push(`${module.path} imports ${target}: functions/aws/ never imports ${toLayer}/`);
      }
      const entryPoint = toLayer === 'cli' || toLayer === 'lambda';
      if (entryPoint && fromLayer !== toLayer && fromLayer !== 'build' && !isTest) {
        violations.push(
          `${module.path} imports ${target}: entry points (${toLayer}/) are imported by nothing`,
        );
      }
    }
  }
  return violations;
}

/** The TypeScript and JavaScript modules under the given repository folders. */
export function readSourceModules(root: string, folders: readonly string[]): SourceModule[] {
  const modules: SourceModule[] = [];
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'cdk.out') visit(full);
      } else if (/\.(ts|mjs)$/.test(entry.name)) {
        modules.push({
          path: relative(root, full).split('\\').join('/'),
          source: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  for (const folder of folders) visit(join(root, folder));
  return modules;
}
