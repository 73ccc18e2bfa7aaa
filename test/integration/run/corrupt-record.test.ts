/**
 * One bad record stays one bad thing: a truncated target file is that target's error (told
 * once, moved aside), and every other target, with its pending alerts, goes on.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import { runDetector } from '../../../functions/run/detector.js';
import {
  COMPLIANT_222_US,
  HOUR_MS,
  key,
  machineBody,
  messagesByTarget,
  runConfig,
  temporaryDirectory,
  testClock,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

describe('a corrupt target record', () => {
  it('fails only its target, once, moves the file aside, and lets the other targets and pending alerts go on', async () => {
    const aws = localAws.current;
    const directory = await temporaryDirectory('corrupt-');
    const store = new FileDriftStore({ directory });
    const clock = testClock();
    // Run 1 has no topic: its alerts wait in the outbox.
    const first = await runDetector(await runConfig(aws, { runId: 'run-1', store, clock, topicArn: null }));
    const pending = first.summary.alerts.pending;
    expect(pending).toBeGreaterThan(1);
    const targets = join(directory, 'targets');
    const [file] = (await readdir(targets)).filter((name) => name.startsWith('222222222222@us-east-1'));
    const path = join(targets, file!);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)));

    clock.advance(HOUR_MS);
    const second = await runDetector(await runConfig(aws, { runId: 'run-2', store, clock }));

    const broken = second.results.find((r) => key(r) === key(COMPLIANT_222_US));
    expect(broken).toMatchObject({
      status: 'failed',
      error: { operation: 'ReadRecord', errorName: 'CorruptRecordError' },
    });
    expect(broken?.error?.message).toContain('it is not valid JSON');
    expect(second.results.filter((r) => r.status === 'scanned')).toHaveLength(
      first.results.filter((r) => r.status === 'scanned').length - 1,
    );
    const aside = (await readdir(targets)).filter((name) => name.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(targets, aside[0]!), 'utf8')).toBe(text.slice(0, Math.floor(text.length / 2)));
    // Run 1's pending alerts went out with run 2's one for the broken record.
    expect(second.summary.alerts).toMatchObject({ published: pending + 1, pending: 0, failed: 0 });
    const told = messagesByTarget(aws.messages()).get(key(COMPLIANT_222_US)) ?? [];
    expect(
      told.filter((m) => machineBody(m).runId === 'run-2').map((m) => machineBody(m).eventTypes),
    ).toEqual([['scan.failed']]);

    // The next run starts the target afresh; nothing about the corrupt file is told again.
    clock.advance(HOUR_MS);
    const third = await runDetector(await runConfig(aws, { runId: 'run-3', store, clock }));
    expect(third.results.find((r) => key(r) === key(COMPLIANT_222_US))?.status).toBe('scanned');
    expect(third.summary.errors.filter((e) => e.errorName === 'CorruptRecordError')).toEqual([]);
    const run3Told = aws
      .messages()
      .filter((m) => machineBody(m).runId === 'run-3' && machineBody(m).eventTypes.includes('scan.failed'));
    expect(run3Told).toEqual([]);
  });
});
