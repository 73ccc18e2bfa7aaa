/**
 * Writes a large snapshot file registry by registry (never as one string), for the bench's
 * streaming rows and the tests that prove a report of any size is written: cut from the
 * worst-case generator, each registry with its own account id. Generated, never committed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RegistrySnapshot } from '../functions/core/types.js';
import { withProfilePerRule, worstCaseRegistry } from './worst-case-registry.js';

export interface GeneratedSnapshotOptions {
  /** Stop adding registries once the file reaches this many bytes. */
  targetBytes: number;
  repositoriesPerRegistry: number;
  rules?: number;
  filtersPerRule?: number;
  /** One rule with filter `*` instead: every repository covered, few findings per byte. */
  coverAll?: boolean;
  /** Extra tags per repository, to reach a size with fewer repositories. */
  extraTags?: number;
}

/** Writes the snapshot to `path`; returns how many registries and bytes it holds. */
export function writeGeneratedSnapshot(
  path: string,
  options: GeneratedSnapshotOptions,
): { registries: number; bytes: number } {
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (text: string) => {
    bytes += writeSync(fd, text);
  };
  try {
    write('{"snapshotVersion":1,"capturedAt":"2026-01-01T00:00:00.000Z","registries":[');
    // Registries differ by account id only past the first few seeds: generating each anew
    // would cost more than the audit that reads them.
    const seeds = Array.from({ length: 8 }, (_, i) =>
      withProfilePerRule(
        worstCaseRegistry({
          seed: i + 1,
          repositories: options.repositoriesPerRegistry,
          rules: options.rules ?? 10,
          filtersPerRule: options.filtersPerRule ?? 100,
        }),
      ),
    );
    if (options.coverAll) {
      for (const seed of seeds) {
        const first = seed.signingConfiguration?.rules[0];
        if (first) {
          seed.signingConfiguration = {
            rules: [{ ...first, repositoryFilters: [{ filter: '*', filterType: 'WILDCARD_MATCH' }] }],
          };
        }
      }
    }
    if (options.extraTags) {
      for (const seed of seeds) {
        seed.repositories = seed.repositories.map((r, i) => ({
          ...r,
          tags: {
            ...r.tags,
            ...Object.fromEntries(
              Array.from({ length: options.extraTags ?? 0 }, (_, t) => [
                `cost-centre-${t}`,
                `cc-${(i * 7 + t) % 997}`,
              ]),
            ),
          },
        }));
      }
    }
    let registries = 0;
    while (bytes < options.targetBytes) {
      const seed = seeds[registries % seeds.length]!;
      const accountId = String(100000000000 + registries);
      const registry: RegistrySnapshot = {
        ...seed,
        accountId,
        signingConfiguration: seed.signingConfiguration && {
          rules: seed.signingConfiguration.rules.map((rule) => ({
            ...rule,
            signingProfileArn: rule.signingProfileArn.replace(seed.accountId, accountId),
          })),
        },
        signingProfiles: seed.signingProfiles?.map((p) => ({
          ...p,
          profileArn: p.profileArn.replace(seed.accountId, accountId),
        })),
      };
      write(`${registries === 0 ? '' : ','}\n${JSON.stringify(registry)}`);
      registries++;
    }
    write('\n]}\n');
    return { registries, bytes };
  } finally {
    closeSync(fd);
  }
}
