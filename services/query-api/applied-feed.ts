import { createRedisClient, type Logger, type RedisClient, type RedisTarget } from '../platform/index.ts';

type Listener = (revision: number) => void;

/**
 * The projector's "applied" messages (`{ stream, revision }`), received once per process on a connection
 * of its own and handed to whoever listens for that stream: consistency waits and subscriptions. Every
 * replica subscribes to Redis itself, so an update reaches clients whichever replica they are on.
 * It listens to every version of the projection: a message is only a hint to re-read the active
 * version, never taken as the state itself.
 */
export class AppliedFeed {
  readonly #subscriber: RedisClient;
  readonly #pattern: string;
  readonly #log: Logger;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(redisTarget: RedisTarget, projection: string, log: Logger) {
    this.#subscriber = createRedisClient(redisTarget, log);
    this.#pattern = `rm:${projection}:v*:applied`;
    this.#log = log;
  }

  get ready(): boolean {
    return this.#subscriber.isReady;
  }

  /** Resolves once Redis confirmed the subscription, so no message published after it is missed. */
  async start(): Promise<void> {
    await this.#subscriber.connect();
    await this.#subscriber.pSubscribe(this.#pattern, (message) => this.#dispatch(message));
  }

  async stop(): Promise<void> {
    this.#listeners.clear();
    if (this.#subscriber.isOpen) this.#subscriber.destroy();
  }

  /** Calls `listener` with each revision applied to `stream` from now on; returns the way to stop. */
  listen(stream: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(stream);
    if (listeners === undefined) this.#listeners.set(stream, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(stream);
    };
  }

  #dispatch(message: string): void {
    let applied: { stream?: unknown; revision?: unknown };
    try {
      applied = JSON.parse(message) as typeof applied;
    } catch {
      this.#log.warn({ message }, 'unreadable applied message; ignored');
      return;
    }
    if (typeof applied.stream !== 'string' || typeof applied.revision !== 'number') return;
    for (const listener of this.#listeners.get(applied.stream) ?? []) listener(applied.revision);
  }
}
