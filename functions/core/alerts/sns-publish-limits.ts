/**
 * What SNS Publish accepts (sns-2010-03-31): the message and its attributes together at
 * most 256 KB, a subject under 100 printable ASCII characters on one line.
 */

/** 256 KB: the message plus every attribute name, type and value, in UTF-8 bytes. */
export const MAX_PUBLISH_BYTES = 262_144;

/** Subjects must be "less than 100 characters long". */
export const MAX_SUBJECT_LENGTH = 99;

/**
 * A message attribute as the SNS publisher adapter takes it. String.Array values travel
 * as a JSON array in StringValue; filter policies then match any one element.
 */
export type AlertAttributeValue =
  | { dataType: 'String'; value: string }
  | { dataType: 'String.Array'; value: string[] };

/** The attribute's StringValue as SNS receives it. */
export function attributeStringValue(attribute: AlertAttributeValue): string {
  return attribute.dataType === 'String.Array' ? JSON.stringify(attribute.value) : attribute.value;
}

export interface PublishRequestParts {
  subject?: string;
  message: string;
  messageAttributes: Record<string, AlertAttributeValue>;
}

/**
 * The bytes SNS counts against MAX_PUBLISH_BYTES: message plus attribute names, types and
 * values. The subject is counted too, to stay on the safe side: SNS does not say it is not.
 */
export function publishSizeBytes(request: PublishRequestParts): number {
  let bytes = utf8Length(request.subject ?? '') + utf8Length(request.message);
  for (const [name, attribute] of Object.entries(request.messageAttributes)) {
    bytes += utf8Length(name) + utf8Length(attribute.dataType) + utf8Length(attributeStringValue(attribute));
  }
  return bytes;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
