/**
 * `npm run bench`: runs every section in order (or only the ids given as arguments)
 * and prints a table of medians per section, with its ratios and caveats underneath.
 */
import { availableParallelism, cpus } from 'node:os';
import { formatMs, formatTable } from './harness.js';
import { sections } from './sections.js';

// The SDK warns that releases after January 2027 need Node 22; ours are pinned by the lockfile.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((id) => !sections.some((s) => s.id === id));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${sections.map((s) => s.id).join(', ')}`);
  process.exit(2);
}

console.log(
  `node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
    (globalThis.gc ? 'gc between samples' : 'no --expose-gc: samples may include earlier garbage'),
);
const started = performance.now();
for (const section of sections) {
  if (wanted.length > 0 && !wanted.includes(section.id)) continue;
  console.log(`\n## ${section.title}\n`);
  const report = await section.run();
  if (report.measurements.length > 0) console.log(formatTable(report.measurements));
  for (const note of report.notes) console.log(`- ${note}`);
}
console.log(`\nbench finished in ${formatMs(performance.now() - started)}`);
