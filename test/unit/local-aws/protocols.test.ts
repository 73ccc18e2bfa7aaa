import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../functions/local-aws/errors.js';
import { paginate } from '../../../functions/local-aws/pagination.js';
import { parseJsonInput, parseTarget } from '../../../functions/local-aws/protocols/aws-json.js';
import {
  parseQueryParams,
  queryErrorReply,
  readQueryEntries,
  toXml,
} from '../../../functions/local-aws/protocols/aws-query.js';

describe('awsQuery', () => {
  it('groups numbered entries in numeric order, keyed by what follows the index', () => {
    const params = parseQueryParams(
      'MessageAttributes.entry.10.Name=b&MessageAttributes.entry.10.Value.DataType=Number' +
        '&MessageAttributes.entry.2.Name=a&MessageAttributes.entry.2.Value.StringValue=x%26y&Other=1',
    );
    expect(readQueryEntries(params, 'MessageAttributes.entry').map((e) => Object.fromEntries(e))).toEqual([
      { Name: 'a', 'Value.StringValue': 'x&y' },
      { Name: 'b', 'Value.DataType': 'Number' },
    ]);
  });

  it('writes lists as member elements, dates in ISO form, and escapes text', () => {
    expect(
      toXml('R', {
        Topics: [{ TopicArn: 'a' }, { TopicArn: 'b' }],
        At: new Date(0),
        Note: '<&>',
        Skip: undefined,
      }),
    ).toBe(
      '<R><Topics><member><TopicArn>a</TopicArn></member><member><TopicArn>b</TopicArn></member></Topics>' +
        '<At>1970-01-01T00:00:00.000Z</At><Note>&lt;&amp;&gt;</Note></R>',
    );
  });

  it('shapes an error as ErrorResponse with Sender or Receiver', () => {
    const reply = queryErrorReply(
      new AwsServiceError('NotFound', 'Topic does not exist', { statusCode: 404 }),
      'ns',
      'id-1',
    );
    expect(reply.statusCode).toBe(404);
    expect(reply.body).toBe(
      '<ErrorResponse xmlns="ns"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>id-1</RequestId></ErrorResponse>',
    );
  });
});

describe('awsJson', () => {
  it('splits the target header and rejects a body that is not a JSON object', () => {
    expect(parseTarget('AWSOrganizationsV20161128.ListRoots')).toEqual({
      prefix: 'AWSOrganizationsV20161128',
      operation: 'ListRoots',
    });
    expect(parseTarget('NoOperation')).toBeNull();
    expect(parseJsonInput('')).toEqual({});
    expect(() => parseJsonInput('[1]')).toThrowError(AwsServiceError);
    expect(() => parseJsonInput('{')).toThrowError('Request body is not valid JSON');
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 5 }, (_, i) => i);
  const invalidToken = () => new Error('invalid token');

  it('walks every item page by page and ends without a token', () => {
    const first = paginate(items, { pageSize: 2, token: undefined, scope: 's', invalidToken });
    const second = paginate(items, { pageSize: 2, token: first.nextToken, scope: 's', invalidToken });
    const last = paginate(items, { pageSize: 2, token: second.nextToken, scope: 's', invalidToken });
    expect([first.items, second.items, last.items]).toEqual([[0, 1], [2, 3], [4]]);
    expect(last.nextToken).toBeUndefined();
  });

  it('refuses a token of another listing and a token that is not one', () => {
    const first = paginate(items, { pageSize: 2, token: undefined, scope: 's', invalidToken });
    expect(() =>
      paginate(items, { pageSize: 2, token: first.nextToken, scope: 'other', invalidToken }),
    ).toThrowError('invalid token');
    expect(() => paginate(items, { pageSize: 2, token: 'garbage', scope: 's', invalidToken })).toThrowError(
      'invalid token',
    );
  });
});
