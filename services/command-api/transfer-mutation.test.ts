import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer } from '../../test/auth-support.ts';
import { mutate, newCommandApi, streamEvents } from './test-support.ts';

const { yoga, esdb } = newCommandApi();
const from = randomUUID();
const to = randomUUID();

describe('requestTransfer', () => {
  it('appends TransferRequested to transfer-<id>, correlated by the transfer id, and answers its token', async () => {
    const commandId = `transfer-${randomUUID()}`;
    const result = await mutate(yoga, 'requestTransfer', { fromAccountId: from, toAccountId: to, amount: '12.5', currency: 'EUR', commandId, reason: 'rent' }, await bearer({ subject: 'ada', roles: ['teller'] }));
    expect(result).toMatchObject({ __typename: 'CommandAccepted', revision: 0 });
    const transferId = String(result.aggregateId);
    expect(result).toMatchObject({ streamName: `transfer-${transferId}`, consistencyToken: `transfer-${transferId}@0` });
    expect(await streamEvents(esdb, `transfer-${transferId}`)).toEqual([
      expect.objectContaining({
        type: 'TransferRequested',
        data: { transferId, fromAccountId: from, toAccountId: to, amount: '12.50', currency: 'EUR' },
        metadata: expect.objectContaining({ $correlationId: transferId, $causationId: commandId, commandId, actor: 'ada', reason: 'rent' }),
      }),
    ]);
  });

  it('answers a repeated commandId with the same transfer and appends nothing', async () => {
    const input = { fromAccountId: from, toAccountId: to, amount: '1', currency: 'EUR', commandId: randomUUID() };
    const [first, again] = [await mutate(yoga, 'requestTransfer', input), await mutate(yoga, 'requestTransfer', input)];
    expect(again).toEqual(first);
    expect(await streamEvents(esdb, `transfer-${String(first.aggregateId)}`)).toHaveLength(1);
  });

  it('refuses a transfer to the same account, a bad amount and a bad id, all at once', async () => {
    const result = await mutate(yoga, 'requestTransfer', { fromAccountId: from, toAccountId: from, amount: '1.001', currency: 'EUR' });
    expect(result.__typename).toBe('ValidationFailed');
    expect(result.issues).toEqual([
      { path: ['input', 'amount'], message: 'EUR amounts have at most 2 decimal places' },
      { path: ['input', 'toAccountId'], message: 'Must differ from fromAccountId' },
    ]);
    const badId = await mutate(yoga, 'requestTransfer', { fromAccountId: 'nope', toAccountId: to, amount: '-1', currency: 'EUR' });
    expect(badId.issues).toEqual([
      { path: ['input', 'fromAccountId'], message: expect.stringContaining('UUID') },
      { path: ['input', 'amount'], message: 'Amount must be greater than zero' },
    ]);
  });
});
