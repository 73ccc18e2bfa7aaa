/** How a published alert looks to an email subscriber: its subject and the `email` body. */
export interface PublishedAlert {
  subject: string | null;
  message: string;
  messageStructure: string | null;
}

export function subscriberView(alert: PublishedAlert): string {
  let body = alert.message;
  if (alert.messageStructure === 'json') {
    const bodies = JSON.parse(alert.message) as Record<string, string>;
    body = bodies['email'] ?? bodies['default'] ?? alert.message;
  }
  const indented = body
    .trimEnd()
    .split('\n')
    .map((line) => `  | ${line}`);
  return `\n  Subject: ${alert.subject ?? '(none)'}\n${indented.join('\n')}\n`;
}
