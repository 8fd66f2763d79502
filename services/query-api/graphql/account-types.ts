import type { TransactionEntry } from '../../projector/index.ts';
import { builder } from '../builder.ts';
import type { AccountSummary, GlobalStats } from '../read-models.ts';

export const AccountStatus = builder.enumType('AccountStatus', { values: { OPEN: { value: 'open' }, CLOSED: { value: 'closed' } } });

export const Account = builder.objectRef<AccountSummary>('Account').implement({
  description: 'An account as the read model holds it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    holderName: t.exposeString('holder'),
    currency: t.exposeString('currency'),
    balance: t.exposeString('balance', { description: 'Decimal string in the account currency, e.g. "12.50".' }),
    status: t.field({ type: AccountStatus, resolve: (account) => account.status }),
    openedAt: t.field({ type: 'DateTime', resolve: (account) => account.openedAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (account) => account.updatedAt }),
    transactionCount: t.exposeInt('transactionCount'),
    revision: t.exposeInt('revision', { description: 'The last stream revision this view includes.' }),
  }),
});

export const TransactionType = builder.enumType('TransactionType', { values: ['MoneyDeposited', 'MoneyWithdrawn'] as const });

export const Transaction = builder.objectRef<TransactionEntry>('Transaction').implement({
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    revision: t.exposeInt('revision'),
    type: t.field({ type: TransactionType, resolve: (entry) => entry.type }),
    amount: t.exposeString('amount', { description: 'Signed decimal string: negative for withdrawals.' }),
    balanceAfter: t.exposeString('balanceAfter'),
    occurredAt: t.field({ type: 'DateTime', resolve: (entry) => entry.occurredAt }),
    actor: t.exposeString('actor', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    correlationId: t.exposeString('correlationId', { nullable: true }),
    transferId: t.id({ nullable: true, description: 'The transfer this movement was a leg of, if any.', resolve: (entry) => entry.transferId ?? null }),
    counterpartyAccountId: t.id({
      nullable: true,
      description: 'The account on the other side of the transfer: where the money went (debit) or came from (credit, refund).',
      resolve: (entry) => entry.counterpartyAccountId ?? null,
    }),
    transferLeg: t.string({
      nullable: true,
      description: 'debit (out of this account), credit (into it) or refund (back into the source after a failed transfer).',
      resolve: (entry) => entry.transferLeg ?? null,
    }),
  }),
});

const CurrencyTotal = builder.objectRef<{ currency: string; total: bigint }>('CurrencyTotal').implement({
  fields: (t) => ({
    currency: t.exposeString('currency'),
    totalMinor: t.string({ description: 'Sum of balances in minor units, as a decimal string (64-bit).', resolve: (row) => String(row.total) }),
  }),
});

export const Stats = builder.objectRef<GlobalStats>('Stats').implement({
  fields: (t) => ({
    openAccounts: t.exposeInt('openAccounts'),
    closedAccounts: t.exposeInt('closedAccounts'),
    events: t.exposeInt('events', { description: 'Account events folded into the read models.' }),
    balances: t.field({
      type: [CurrencyTotal],
      resolve: (stats) => [...stats.balances].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => ({ currency, total })),
    }),
  }),
});

export interface BalanceAtShape {
  readonly accountId: string;
  readonly at: Date;
  readonly balance: string;
  readonly currency: string;
  readonly revision: number;
}

export const BalanceAt = builder.objectRef<BalanceAtShape>('BalanceAt').implement({
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    at: t.field({ type: 'DateTime', resolve: (row) => row.at }),
    balance: t.exposeString('balance'),
    currency: t.exposeString('currency'),
    revision: t.exposeInt('revision', { description: 'The stream revision whose balance this is.' }),
  }),
});
