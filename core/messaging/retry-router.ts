import type { ConfirmChannel, Message, Options } from 'amqplib';
import { ATTEMPT_HEADER, DEAD_LETTER_REASON_HEADER, deadLetterQueueName } from './topology';
import { attemptsSoFar, routeFailure, type FailureRoute } from './retry-policy';

// Broker-maintained dead-lettering history; our attempt header is the source of truth, and copying these
// into a fresh publish only confuses the broker's own bookkeeping.
const BROKER_HEADERS = /^x-(death|first-death-|last-death-)/;

/** The original message's properties for a republish, with headers replaced by `headers`. */
export function republishProperties(
  message: Message,
  headers: Record<string, unknown>,
  expirationMs?: number,
): Options.Publish {
  const p = message.properties;
  const kept = Object.fromEntries(Object.entries(p.headers ?? {}).filter(([name]) => !BROKER_HEADERS.test(name)));
  const options: Options.Publish = {
    headers: { ...kept, ...headers },
    persistent: true,
  };
  if (p.contentType !== undefined) options.contentType = p.contentType as string;
  if (p.contentEncoding !== undefined) options.contentEncoding = p.contentEncoding as string;
  if (p.messageId !== undefined) options.messageId = p.messageId as string;
  if (p.type !== undefined) options.type = p.type as string;
  if (p.timestamp !== undefined) options.timestamp = p.timestamp as number;
  if (p.correlationId !== undefined) options.correlationId = p.correlationId as string;
  if (p.appId !== undefined) options.appId = p.appId as string;
  if (expirationMs !== undefined) options.expiration = String(expirationMs);
  return options;
}

/** Sends to a queue through the default exchange and resolves once the broker has confirmed it. */
export function sendConfirmed(
  channel: ConfirmChannel,
  queue: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.sendToQueue(queue, content, options, (error: unknown) => (error ? reject(toError(error)) : resolve()));
    } catch (error) {
      reject(toError(error));
    }
  });
}

/**
 * Moves a failed message to its next retry queue, or to the DLQ once its retries are spent. The caller acks
 * the original only after this resolves, so a crash in between redelivers it rather than losing it.
 */
export async function forwardFailedMessage(
  channel: ConfirmChannel,
  workQueue: string,
  message: Message,
  error: unknown,
  delaysMs?: readonly number[],
): Promise<FailureRoute> {
  const route = routeFailure(workQueue, attemptsSoFar(message.properties.headers), delaysMs);
  if (route.kind === 'retry') {
    await sendConfirmed(
      channel,
      route.queue,
      message.content,
      republishProperties(message, { [ATTEMPT_HEADER]: route.attempt }, route.delayMs),
    );
  } else {
    await deadLetterMessage(channel, workQueue, message, 'handler_failed', error);
  }
  return route;
}

/** Puts a message in the work queue's DLQ with the reason and the last error, for whoever inspects it. */
export async function deadLetterMessage(
  channel: ConfirmChannel,
  workQueue: string,
  message: Message,
  reason: 'handler_failed' | 'invalid_message',
  detail: unknown,
): Promise<void> {
  const headers = {
    [ATTEMPT_HEADER]: attemptsSoFar(message.properties.headers),
    [DEAD_LETTER_REASON_HEADER]: reason,
    'x-offndat-error': describe(detail).slice(0, 1024),
    'x-offndat-dead-lettered-at': new Date().toISOString(),
  };
  await sendConfirmed(channel, deadLetterQueueName(workQueue), message.content, republishProperties(message, headers));
}

function describe(detail: unknown): string {
  return detail instanceof Error ? detail.message : String(detail);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
