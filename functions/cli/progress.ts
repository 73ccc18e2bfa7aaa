/**
 * A one-line progress display on stderr for long scans: only on a TTY and only once
 * more than one target has been seen (never for a single target), so pipes and CI
 * logs get nothing extra. The total comes from the progress itself when the targets
 * are a list, or from the caller.
 */
import type { ScanProgress } from '../scan/scan-targets.js';

export interface ProgressReporter {
  update(progress: ScanProgress): void;
  done(): void;
}

const noop: ProgressReporter = { update() {}, done() {} };

export function progressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  total?: number,
): ProgressReporter {
  if (!stream.isTTY) return noop;
  let shown = false;
  let last = 0;
  return {
    update(progress) {
      const { done, failed } = progress;
      const known = progress.total ?? total;
      const now = Date.now();
      if (done < 2 && !shown) return;
      if (now - last < 80 && done !== known) return;
      last = now;
      shown = true;
      const width = 30;
      const bar =
        known && known > 0
          ? `[${'#'.repeat(Math.round((done / known) * width)).padEnd(width, '.')}] ${done}/${known}`
          : `${done} scanned`;
      stream.write(`\r\x1b[2Kscanning ${bar}${failed > 0 ? `, ${failed} failed` : ''}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
