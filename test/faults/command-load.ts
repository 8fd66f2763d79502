// Steady command traffic through the real command API while a fault test breaks things underneath it.
// Every command carries its own commandId and its answer is recorded: accepted (the user was told it
// happened), rejected (a typed error: it must not have happened) or unanswered (a failure: unknown).
// Unanswered commands are retried with the same commandId once the fault is over, as a client would.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandApi } from '../../services/command-api/index.ts';
import { mutate, type MutationName } from '../../services/command-api/test-support.ts';

interface SentCommand {
  readonly mutation: MutationName;
  readonly input: Record<string, unknown> & { accountId: string; commandId: string };
}

export class CommandLoad {
  readonly accountIds: string[] = [];
  readonly accepted = new Set<string>();
  readonly rejected = new Set<string>();
  /** Answers that were failures (retried later), so a test can tell that its fault was felt. */
  failures = 0;
  readonly #unanswered = new Map<string, SentCommand>();
  #running = false;
  #loops: Promise<void>[] = [];

  constructor(private readonly yoga: CommandApi) {}

  /** Opens `count` accounts, each answered (retried until it is), before traffic starts. */
  async openAccounts(count: number): Promise<void> {
    const opened = Array.from({ length: count }, async () => {
      const accountId = randomUUID();
      const input = { accountId, commandId: randomUUID(), holderName: `Fault ${accountId.slice(0, 6)}`, currency: 'EUR' };
      await this.#send({ mutation: 'openAccount', input });
      await this.#retryUnanswered();
      this.accountIds.push(accountId);
    });
    await Promise.all(opened);
  }

  /** `concurrency` loops each send one command after another until `stop`. */
  start(concurrency: number): void {
    this.#running = true;
    this.#loops = Array.from({ length: concurrency }, async () => {
      while (this.#running) await this.#send(this.#nextCommand());
    });
  }

  get answered(): number {
    return this.accepted.size + this.rejected.size;
  }

  /** Resolves once `count` more commands than now have been accepted (bounded by `timeoutMs`). */
  async waitForAccepted(count: number, timeoutMs = 20_000): Promise<void> {
    const target = this.accepted.size + count;
    const deadline = Date.now() + timeoutMs;
    while (this.accepted.size < target) {
      if (Date.now() > deadline) throw new Error(`only ${this.accepted.size} of ${target} commands accepted in ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /** Stops the traffic, then retries every unanswered command until it is answered. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    await this.#retryUnanswered();
  }

  #nextCommand(): SentCommand {
    const accountId = this.accountIds[Math.floor(Math.random() * this.accountIds.length)]!;
    const commandId = randomUUID();
    // Mostly deposits; the small withdrawals succeed almost always, so both kinds of event flow.
    if (Math.random() < 0.7) return { mutation: 'depositMoney', input: { accountId, commandId, amount: `${1 + Math.floor(Math.random() * 500)}.00`, currency: 'EUR' } };
    return { mutation: 'withdrawMoney', input: { accountId, commandId, amount: '0.01', currency: 'EUR' } };
  }

  async #send(command: SentCommand): Promise<void> {
    const { commandId } = command.input;
    try {
      const result = await mutate(this.yoga, command.mutation, command.input);
      // The store did not answer: the command may or may not have been appended, so it is retried below.
      if (result.__typename === 'StoreUnavailable') throw new Error(result.message);
      this.#unanswered.delete(commandId);
      if (result.__typename === 'CommandAccepted') this.accepted.add(commandId);
      else this.rejected.add(commandId);
    } catch {
      // StoreUnavailable, a masked "Unexpected error." or a broken connection: maybe appended, maybe not.
      this.failures++;
      this.#unanswered.set(commandId, command);
      await sleep(100);
    }
  }

  async #retryUnanswered(attempts = 150): Promise<void> {
    for (let attempt = 0; attempt < attempts && this.#unanswered.size > 0; attempt++) {
      await Promise.all([...this.#unanswered.values()].map((command) => this.#send(command)));
      if (this.#unanswered.size > 0) await sleep(100);
    }
    if (this.#unanswered.size > 0) throw new Error(`${this.#unanswered.size} commands still unanswered after ${attempts} retries`);
  }
}
