/**
 * Records as DynamoDB items: the record's JSON in a `body` string, plus the few top-level
 * attributes conditions, filters and TTL need. A body too large for one item (400 KB,
 * names and keys included) is split into `body-part` items in a partition of their own,
 * written before the item that points at them, so a reader never follows a pointer to
 * parts that are not all there.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DriftStoreError } from './drift-store-error.js';
import { type ItemKey, ItemKind, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from './dynamodb-table.js';

export type Item = Record<string, AttributeValue>;

/** Largest body kept in the item itself; the rest of the 400 KB is left for keys and attributes. */
export const MAX_INLINE_BODY_BYTES = 350_000;
/** BatchWriteItem takes at most 25 requests. */
export const BATCH_WRITE_SIZE = 25;
const BATCH_WRITE_CONCURRENCY = 4;

export interface BatchRetry {
  /** Sends of one batch, the first included, before unprocessed items are an error. */
  maxAttempts: number;
  /** Backoff base: attempt n waits a random time up to baseDelayMs × 2^n. */
  baseDelayMs: number;
}

export interface PutOptions {
  expiresAt?: number;
  /** absent: only when no item has the key; present: only when one has. */
  condition?: 'absent' | 'present';
}

export interface QueryOptions {
  sortKeyPrefix?: string;
  newestFirst?: boolean;
  /** Leave out items whose TTL has passed but that DynamoDB has not deleted yet. */
  unexpiredAtSeconds?: number;
  limit?: number;
}

export class DynamoDbDocuments {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #retry: BatchRetry;

  constructor(client: DynamoDBClient, tableName: string, retry: BatchRetry) {
    this.#client = client;
    this.#tableName = tableName;
    this.#retry = retry;
  }

  /** Writes a record; false when the condition does not hold (and nothing changes). */
  async put(key: ItemKey, kind: ItemKind, body: unknown, options: PutOptions = {}): Promise<boolean> {
    const json = JSON.stringify(body);
    const bytes = Buffer.from(json, 'utf8');
    const extra: Item = options.expiresAt === undefined ? {} : { [TTL_ATTRIBUTE]: number(options.expiresAt) };
    let head: Item = { ...keyItem(key), kind: { S: kind }, ...extra };
    if (bytes.length <= MAX_INLINE_BODY_BYTES) {
      head = { ...head, body: { S: json } };
    } else {
      const partsKey = `PART#${randomUUID()}`;
      const count = await this.#writeParts(partsKey, bytes, extra);
      head = { ...head, bodyPartsKey: { S: partsKey }, bodyParts: number(count) };
    }
    let replaced: Item | undefined;
    try {
      const out = await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: head,
          ReturnValues: 'ALL_OLD',
          ...conditionOn(options.condition),
        }),
      );
      replaced = out.Attributes;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      await this.#deleteParts(head);
      return false;
    }
    await this.#deleteParts(replaced);
    return true;
  }

  /** Writes small records, 25 to a request: each body must fit in its item. */
  async putAll(records: readonly { key: ItemKey; kind: ItemKind; body: unknown }[]): Promise<void> {
    const requests = records.map(({ key, kind, body }): WriteRequest => {
      const json = JSON.stringify(body);
      if (Buffer.byteLength(json, 'utf8') > MAX_INLINE_BODY_BYTES) {
        throw new DriftStoreError(`the ${kind} ${key.sk} is larger than ${MAX_INLINE_BODY_BYTES} bytes`);
      }
      return { PutRequest: { Item: { ...keyItem(key), kind: { S: kind }, body: { S: json } } } };
    });
    await this.#batchWrite(requests);
  }

  /** Deletes items that have no body parts, 25 to a request. */
  async deleteAll(keys: readonly ItemKey[]): Promise<void> {
    await this.#batchWrite(keys.map((key) => ({ DeleteRequest: { Key: keyItem(key) } })));
  }

  async get<T>(key: ItemKey): Promise<T | null> {
    const item = await this.getItem(key);
    return item ? this.body<T>(item) : null;
  }

  async getItem(key: ItemKey): Promise<Item | null> {
    const out = await this.#client.send(
      new GetItemCommand({ TableName: this.#tableName, Key: keyItem(key), ConsistentRead: true }),
    );
    return out.Item ?? null;
  }

  /** Deletes a record and its body parts. */
  async delete(key: ItemKey): Promise<void> {
    const out = await this.#client.send(
      new DeleteItemCommand({ TableName: this.#tableName, Key: keyItem(key), ReturnValues: 'ALL_OLD' }),
    );
    await this.#deleteParts(out.Attributes);
  }

  /** Writes an item as given, with a condition expression; false when the condition does not hold. */
  async putItem(item: Item, condition?: Expression): Promise<boolean> {
    try {
      await this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Applies an update expression when the condition holds: the updated attributes as they
   * are now (ReturnValues UPDATED_NEW), or null when the condition does not hold.
   */
  async updateItem(key: ItemKey, update: Update): Promise<Item | null> {
    try {
      const out = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: keyItem(key),
          ReturnValues: 'UPDATED_NEW',
          ...update,
        }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionalCheckFailure(error)) return null;
      throw error;
    }
  }

  /** Deletes an item when the condition holds; false when it does not. */
  async deleteItem(key: ItemKey, condition: Expression): Promise<boolean> {
    try {
      await this.#client.send(
        new DeleteItemCommand({ TableName: this.#tableName, Key: keyItem(key), ...condition }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** The items of a partition in sort-key order, through every page. */
  async query(partition: string, options: QueryOptions = {}): Promise<Item[]> {
    const input: QueryCommandInput = {
      TableName: this.#tableName,
      ConsistentRead: true,
      ScanIndexForward: !options.newestFirst,
      ...partitionQuery(partition, options),
    };
    const items: Item[] = [];
    let exclusiveStartKey: Item | undefined;
    do {
      const out = await this.#client.send(
        new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }),
      );
      items.push(...(out.Items ?? []));
      exclusiveStartKey = out.LastEvaluatedKey;
    } while (exclusiveStartKey && (options.limit === undefined || items.length < options.limit));
    return options.limit === undefined ? items : items.slice(0, options.limit);
  }

  /** The record an item holds, read from its body parts when it has them. */
  async body<T>(item: Item): Promise<T> {
    const inline = item['body']?.S;
    if (inline !== undefined) return JSON.parse(inline) as T;
    const partsKey = item['bodyPartsKey']?.S;
    const count = Number(item['bodyParts']?.N);
    if (partsKey === undefined) throw new DriftStoreError(`item ${describeItem(item)} has no body`);
    const parts = await this.query(partsKey);
    if (parts.length !== count) {
      throw new DriftStoreError(`item ${describeItem(item)} has ${parts.length} of its ${count} body parts`);
    }
    return JSON.parse(
      Buffer.concat(parts.map((part) => part['data']?.B ?? new Uint8Array())).toString('utf8'),
    ) as T;
  }

  async #writeParts(partsKey: string, bytes: Buffer, extra: Item): Promise<number> {
    const requests: WriteRequest[] = [];
    for (let offset = 0; offset < bytes.length; offset += MAX_INLINE_BODY_BYTES) {
      const sk = String(requests.length).padStart(4, '0');
      const data = bytes.subarray(offset, offset + MAX_INLINE_BODY_BYTES);
      requests.push({
        PutRequest: {
          Item: {
            ...keyItem({ pk: partsKey, sk }),
            kind: { S: ItemKind.BodyPart },
            data: { B: data },
            ...extra,
          },
        },
      });
    }
    await this.#batchWrite(requests);
    return requests.length;
  }

  /** Deletes the body parts an item (as it was) pointed at. */
  async #deleteParts(item: Item | undefined): Promise<void> {
    const partsKey = item?.['bodyPartsKey']?.S;
    if (partsKey === undefined) return;
    const parts = await this.query(partsKey);
    await this.deleteAll(parts.map((part) => ({ pk: partsKey, sk: part[SORT_KEY]?.S ?? '' })));
  }

  async #batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_WRITE_SIZE)
      batches.push(requests.slice(i, i + BATCH_WRITE_SIZE));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (batch) await this.#writeBatch(batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_WRITE_CONCURRENCY, batches.length) }, worker));
  }

  /** One BatchWriteItem, sent again with what DynamoDB left unprocessed until nothing is left. */
  async #writeBatch(batch: WriteRequest[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; attempt < this.#retry.maxAttempts; attempt++) {
      if (attempt > 0) await sleep(Math.random() * this.#retry.baseDelayMs * 2 ** attempt);
      const out = await this.#client.send(
        new BatchWriteItemCommand({ RequestItems: { [this.#tableName]: pending } }),
      );
      pending = out.UnprocessedItems?.[this.#tableName] ?? [];
      if (pending.length === 0) return;
    }
    throw new DriftStoreError(
      `${pending.length} writes were still unprocessed after ${this.#retry.maxAttempts} BatchWriteItem attempts`,
    );
  }
}

/** The parts of a request that carry a condition expression. */
export interface Expression {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

/** An UpdateItem's expressions: what to change, and when. */
export interface Update extends Expression {
  UpdateExpression: string;
}

export function keyItem(key: ItemKey): Item {
  return { [PARTITION_KEY]: { S: key.pk }, [SORT_KEY]: { S: key.sk } };
}

export function number(value: number): AttributeValue {
  return { N: String(value) };
}

export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function conditionOn(condition: PutOptions['condition']): Partial<Expression> {
  if (condition === undefined) return {};
  const test = condition === 'absent' ? 'attribute_not_exists' : 'attribute_exists';
  return { ConditionExpression: `${test}(#pk)`, ExpressionAttributeNames: { '#pk': PARTITION_KEY } };
}

function partitionQuery(partition: string, options: QueryOptions): Partial<QueryCommandInput> {
  const names: Record<string, string> = { '#pk': PARTITION_KEY };
  const values: Item = { ':pk': { S: partition } };
  let keyCondition = '#pk = :pk';
  if (options.sortKeyPrefix !== undefined) {
    names['#sk'] = SORT_KEY;
    values[':prefix'] = { S: options.sortKeyPrefix };
    keyCondition += ' AND begins_with(#sk, :prefix)';
  }
  let filter: string | undefined;
  if (options.unexpiredAtSeconds !== undefined) {
    names['#ttl'] = TTL_ATTRIBUTE;
    values[':now'] = number(options.unexpiredAtSeconds);
    filter = '#ttl > :now';
  }
  return {
    KeyConditionExpression: keyCondition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ...(filter === undefined ? {} : { FilterExpression: filter }),
  };
}

function describeItem(item: Item): string {
  return `${item[PARTITION_KEY]?.S}/${item[SORT_KEY]?.S}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
