// Type-only: erased at run time, so the projector's index (and what it loads) stays out of this process.
import type { TransferReadStatus, TransferStepEntry } from '../projector/index.ts';
import { transferKeys } from '../projector/read-model-keys.ts';
import { ActiveReadModels } from './read-models.ts';

/** A transfer as the projector stores it (see the projector's transfer-projection.ts), with its steps. */
export interface TransferView {
  readonly id: string;
  readonly status: TransferReadStatus;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: string;
  readonly currency: string;
  readonly note: string | null;
  readonly failureCode: string | null;
  readonly failureReason: string | null;
  readonly requestedAt: string;
  readonly updatedAt: string;
  readonly revision: number;
  readonly steps: readonly TransferStepEntry[];
}

/** The transfers projection's read models. */
export class TransferReadModels extends ActiveReadModels {
  /** The summary and the steps in one round trip; undefined when no TransferRequested is projected. */
  async transfer(transferId: string): Promise<TransferView | undefined> {
    const keys = transferKeys(await this.namespace(), transferId);
    const pipeline = this.redis.multi();
    pipeline.hGetAll(keys.summary);
    pipeline.zRange(keys.steps, 0, -1);
    const [hash, steps] = (await pipeline.execAsPipeline()) as unknown as [Record<string, string>, string[]];
    const { id, status, fromAccountId, toAccountId, amount, currency, requestedAt, updatedAt, revision } = hash;
    if (!id || !status || !fromAccountId || !toAccountId || !amount || !currency || !requestedAt || revision === undefined) return undefined;
    return {
      id, status: status as TransferReadStatus, fromAccountId, toAccountId, amount, currency, requestedAt, updatedAt: updatedAt ?? requestedAt,
      note: hash.note || null, failureCode: hash.failureCode ?? null, failureReason: hash.failureReason ?? null, revision: Number(revision),
      steps: steps.map((member) => JSON.parse(member) as TransferStepEntry),
    };
  }
}
