import { createRedisClient, type RedisClient } from '../platform/index.ts';
import { readProjectionVersions, versionsToProject } from './projection-versions.ts';
import type { Projection } from './projection.ts';
import { ProjectorWorker, type ProjectorWorkerOptions } from './worker.ts';

export interface VersionFollowerOptions extends ProjectorWorkerOptions {
  /** How often the live versions are read from Redis: the delay before a switch or rebuild is followed. */
  readonly followIntervalMs?: number;
}

/**
 * Keeps one ProjectorWorker per version of a projection that should be projected right now (the active
 * version and, during a rebuild, its shadow), as recorded in Redis (projection-versions.ts). Polling
 * rather than pub/sub: a missed message would leave a worker on a dead version for good, while a poll
 * of two keys a second costs nothing and recovers from anything, including a Redis restart.
 */
export class VersionFollower {
  readonly #options: VersionFollowerOptions;
  readonly #redis: RedisClient;
  readonly #workers = new Map<number, ProjectorWorker>();
  #timer: NodeJS.Timeout | undefined;
  #following: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: VersionFollowerOptions) {
    this.#options = options;
    this.#redis = createRedisClient(options.redisTarget, options.log);
  }

  /** Versions with a worker, in ascending order. */
  get versions(): number[] {
    return [...this.#workers.keys()].sort((a, b) => a - b);
  }

  get ready(): boolean {
    return this.#workers.size > 0 && [...this.#workers.values()].every((worker) => worker.ready);
  }

  async start(): Promise<void> {
    await this.#redis.connect();
    await this.#follow();
    this.#timer = setInterval(() => {
      this.#following = this.#following.then(() => this.#follow()).catch((error: unknown) => {
        this.#options.log.warn({ err: error }, 'could not follow projection versions; retrying');
      });
    }, this.#options.followIntervalMs ?? 1_000);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#following.catch(() => undefined);
    await Promise.all([...this.#workers.values()].map((worker) => worker.stop()));
    this.#workers.clear();
    this.#redis.destroy();
  }

  async #follow(): Promise<void> {
    if (this.#stopped) return;
    const { projection } = this.#options;
    const versions = await readProjectionVersions(this.#redis, projection.name);
    const wanted = versionsToProject(versions, projection.version);
    for (const [version, worker] of this.#workers) {
      if (wanted.includes(version)) continue;
      this.#workers.delete(version);
      await worker.stop();
    }
    for (const version of wanted) {
      if (this.#workers.has(version)) continue;
      const worker = this.#workerFor(projection.atVersion(version), versions.active === undefined || versions.active === version);
      await worker.start();
      this.#workers.set(version, worker);
    }
  }

  /** Only the active version's group may be created here; a shadow's group is the rebuild's to create. */
  #workerFor(projection: Projection, createGroup: boolean): ProjectorWorker {
    const log = this.#options.log.child({ version: projection.version });
    return new ProjectorWorker({ ...this.#options, projection, log, createGroup });
  }
}
