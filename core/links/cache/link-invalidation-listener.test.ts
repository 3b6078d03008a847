import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { createInvalidationListener, encodeInvalidation } from './link-invalidation';

/** Just enough of an ioredis subscriber: events, and SUBSCRIBE that answers or never does. */
class FakeSubscriber extends EventEmitter {
  status = 'ready';
  subscribed: string[] = [];
  hang = false;
  subscribe(channel: string): Promise<number> {
    if (this.hang) return new Promise(() => undefined);
    this.subscribed.push(channel);
    return Promise.resolve(1);
  }
  unsubscribe(): Promise<number> {
    return Promise.resolve(0);
  }
}

function setup() {
  const subscriber = new FakeSubscriber();
  const onInvalidate = jest.fn();
  const onReconnect = jest.fn();
  const warn = jest.fn();
  const listener = createInvalidationListener({
    subscriber: subscriber as unknown as Redis,
    channel: 'offndat:link-invalidation',
    instanceId: 'me',
    subscribeTimeoutMs: 20,
    onInvalidate,
    onReconnect,
    warn,
  });
  return { subscriber, listener, onInvalidate, onReconnect, warn };
}

describe('invalidation listener', () => {
  it('drops phrases announced by other instances only', async () => {
    const { subscriber, listener, onInvalidate } = setup();
    await listener.start();

    subscriber.emit('message', 'offndat:link-invalidation', encodeInvalidation('from-other', 'someone-else'));
    subscriber.emit('message', 'offndat:link-invalidation', encodeInvalidation('from-me', 'me'));
    subscriber.emit('message', 'another-channel', encodeInvalidation('elsewhere', 'someone-else'));
    subscriber.emit('message', 'offndat:link-invalidation', encodeInvalidation(['both-of', 'these'], 'someone-else'));

    expect(subscriber.subscribed).toEqual(['offndat:link-invalidation']);
    expect(onInvalidate.mock.calls).toEqual([['from-other'], ['both-of'], ['these']]);
  });

  it('warns about a malformed message and carries on', async () => {
    const { subscriber, listener, onInvalidate, warn } = setup();
    await listener.start();

    subscriber.emit('message', 'offndat:link-invalidation', 'not json');

    expect(onInvalidate).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('asks for a clean slate and subscribes again after a reconnect', async () => {
    const { subscriber, listener, onReconnect } = setup();
    await listener.start();

    subscriber.emit('ready');
    await Promise.resolve();

    expect(onReconnect).toHaveBeenCalledTimes(1);
    expect(subscriber.subscribed).toHaveLength(2);
  });

  it('starts even when SUBSCRIBE never answers', async () => {
    const { subscriber, listener, warn } = setup();
    subscriber.hang = true;

    await listener.start();

    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('stops listening on stop', async () => {
    const { subscriber, listener, onInvalidate, onReconnect } = setup();
    await listener.start();

    await listener.stop();
    subscriber.emit('message', 'offndat:link-invalidation', encodeInvalidation('late', 'someone-else'));
    subscriber.emit('ready');

    expect(onInvalidate).not.toHaveBeenCalled();
    expect(onReconnect).not.toHaveBeenCalled();
  });
});
