import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ALERT_EVENT_TYPES } from '../../../functions/core/alerts/alert-event.js';
import schema from '../../../functions/core/alerts/alert-message.schema.json' with { type: 'json' };
import { composeAlertMessage } from '../../../functions/core/alerts/index.js';
import { SEVERITIES } from '../../../functions/core/types.js';
import { eventOf, manyDetected, target } from './alert-fixtures.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function machineBody(
  events: Parameters<typeof composeAlertMessage>[0]['events'],
  accountName?: string,
): unknown {
  const alert = composeAlertMessage({
    runId: 'run-1',
    target,
    events,
    ...(accountName ? { accountName } : {}),
  });
  return JSON.parse((JSON.parse(alert.message) as { sqs: string }).sqs);
}

describe('alert-message.schema.json', () => {
  it('accepts a composed body with one event of every type', () => {
    const body = machineBody(ALERT_EVENT_TYPES.map(eventOf), 'payments-prod');
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('accepts a truncated body', () => {
    const body = machineBody(manyDetected(3_000, 40));
    expect(body).toHaveProperty('truncated');
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('rejects an event with a field the schema does not document', () => {
    const body = machineBody([eventOf('finding.opened')]) as { events: Record<string, unknown>[] };
    body.events[0]!['extra'] = true;
    expect(validate(body)).toBe(false);
  });

  it('lists exactly the event types and severities the code has', () => {
    expect(schema.$defs.eventType.enum).toEqual([...ALERT_EVENT_TYPES]);
    expect(schema.$defs.severity.enum).toEqual([...SEVERITIES]);
  });
});
