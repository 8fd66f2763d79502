import { isCurrencyCode } from '../../domain/index.ts';
import { builder } from '../builder.ts';
import type { QueryApiContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { readKeysetPage, type KeysetPosition } from '../keyset-page.ts';
import type { AccountSummary } from '../read-models.ts';
import { readTransactionsPage } from '../transactions-page.ts';
import { guard } from './access-rules.ts';
import { Account, AccountStatus, Transaction } from './account-types.ts';
import { connectionType, type Edge, type Page } from './connection.ts';
import { AccountNotFound, InvalidArguments, typedErrors, type ArgumentIssue } from './errors.ts';

const AccountOrder = builder.enumType('AccountOrder', { values: ['OPENED_AT', 'BALANCE'] as const });
const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
const AccountConnection = connectionType('Account', Account);
const TransactionConnection = connectionType('Transaction', Transaction);

function checkFirst(first: number, context: QueryApiContext, issues: ArgumentIssue[]): void {
  if (first < 1 || first > context.maxPageSize) issues.push({ argument: 'first', message: `must be between 1 and ${context.maxPageSize}` });
}

function cursorOrIssue(kind: string, after: string | null | undefined, issues: ArgumentIssue[]): KeysetPosition | undefined {
  if (after === null || after === undefined) return undefined;
  const position = decodeCursor(kind, after);
  if (position === undefined) issues.push({ argument: 'after', message: 'not a cursor of this list (ordering and direction must match)' });
  return position;
}

interface AccountsArgs {
  first: number;
  after?: string | null | undefined;
  status?: 'open' | 'closed' | null | undefined;
  currency?: string | null | undefined;
  orderBy: 'OPENED_AT' | 'BALANCE';
  direction: 'ASC' | 'DESC';
}

/** The index sorted sets whose union is the list asked for (all in the global slot). */
async function indexKeys(context: QueryApiContext, args: AccountsArgs): Promise<string[]> {
  const keys = await context.readModels.globalKeys();
  if (args.orderBy === 'BALANCE') return [keys.byBalance(args.currency!)];
  const statuses = args.status ? [args.status] : (['open', 'closed'] as const);
  if (args.currency) return statuses.map((status) => keys.byStatus(status, args.currency!));
  if (!args.status) return [keys.byOpenedAt];
  const currencies = [...(await context.readModels.stats()).balances.keys()];
  return currencies.map((currency) => keys.byStatus(args.status!, currency));
}

async function accountsPage(context: QueryApiContext, args: AccountsArgs, after: KeysetPosition | undefined): Promise<Page<AccountSummary>> {
  const kind = `accounts:${args.orderBy}:${args.direction}`;
  const keys = await indexKeys(context, args);
  const edges: Edge<AccountSummary>[] = [];
  let position = after;
  // The balance index holds both statuses, so a status filter is applied to the summaries read for it;
  // every other list comes from an index that holds exactly the accounts asked for.
  for (;;) {
    const positions = await readKeysetPage(context.readModels.redis, { keys, limit: args.first + 1, descending: args.direction === 'DESC', after: position });
    const summaries = await context.readModels.summaries(positions.map((entry) => entry.member));
    positions.forEach((entry, index) => {
      const summary = summaries[index];
      if (summary !== undefined && (!args.status || summary.status === args.status)) edges.push({ cursor: encodeCursor(kind, entry), node: summary });
    });
    position = positions.at(-1);
    if (edges.length > args.first || positions.length <= args.first) break;
  }
  return { edges: edges.slice(0, args.first), hasNextPage: edges.length > args.first };
}

builder.queryFields((t) => ({
  accounts: t.field({
    type: AccountConnection,
    description: 'Accounts page by page. Cursors hold a position, so accounts opened meanwhile never shift a page.',
    args: {
      first: t.arg.int({ required: true, defaultValue: 20 }),
      after: t.arg.string(),
      status: t.arg({ type: AccountStatus }),
      currency: t.arg.string(),
      orderBy: t.arg({ type: AccountOrder, required: true, defaultValue: 'OPENED_AT' }),
      direction: t.arg({ type: SortDirection, required: true, defaultValue: 'ASC' }),
    },
    errors: typedErrors('AccountsResult', [InvalidArguments]),
    resolve: async (_root, args, context) => {
      guard(context, 'accounts');
      const issues: ArgumentIssue[] = [];
      checkFirst(args.first, context, issues);
      if (args.currency && !isCurrencyCode(args.currency)) issues.push({ argument: 'currency', message: 'not an ISO 4217 code' });
      if (args.orderBy === 'BALANCE' && !args.currency) issues.push({ argument: 'currency', message: 'required to order by BALANCE: balances in different currencies do not compare' });
      const after = cursorOrIssue(`accounts:${args.orderBy}:${args.direction}`, args.after, issues);
      if (issues.length > 0) throw new InvalidArguments(issues);
      return accountsPage(context, args, after);
    },
  }),
  accountTransactions: t.field({
    type: TransactionConnection,
    description: 'Money movements of one account, newest first; `from` is inclusive, `to` exclusive.',
    args: {
      accountId: t.arg.id({ required: true }),
      first: t.arg.int({ required: true, defaultValue: 20 }),
      after: t.arg.string(),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
    },
    errors: typedErrors('AccountTransactionsResult', [AccountNotFound, InvalidArguments]),
    resolve: async (_root, args, context) => {
      guard(context, 'accountTransactions', String(args.accountId));
      const issues: ArgumentIssue[] = [];
      checkFirst(args.first, context, issues);
      const after = cursorOrIssue('transactions', args.after, issues);
      if (args.from && args.to && args.from.getTime() >= args.to.getTime()) issues.push({ argument: 'to', message: 'must be after from' });
      if (issues.length > 0) throw new InvalidArguments(issues);
      const accountId = String(args.accountId);
      const keys = await context.readModels.accountKeys(accountId);
      const [revision, entries] = await Promise.all([
        context.readModels.storedRevision(accountId),
        readTransactionsPage(context.readModels.redis, keys, {
          limit: args.first + 1, beforeRevision: after ? Number(after.score) : undefined,
          fromMs: args.from?.getTime(), toMs: args.to?.getTime(),
        }),
      ]);
      if (revision === undefined) throw new AccountNotFound(accountId);
      const edges = entries.map((entry) => ({ cursor: encodeCursor('transactions', { score: String(entry.revision), member: entry.eventId }), node: entry }));
      return { edges: edges.slice(0, args.first), hasNextPage: edges.length > args.first };
    },
  }),
}));
