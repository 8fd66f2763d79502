import type { AuditEntry } from '../../projector/index.ts';
import { builder } from '../builder.ts';
import { guard } from './access-rules.ts';
import { AccountNotFound, InvalidArguments, typedErrors } from './errors.ts';

const AuditEntryType = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'One event of an account: who (actor), what (type, data), when (occurredAt), why (reason, causation).',
  fields: (t) => ({
    revision: t.exposeInt('revision'),
    eventId: t.exposeID('eventId'),
    type: t.exposeString('type'),
    data: t.exposeString('data', { description: "The event's data as JSON, without the holder's personal data." }),
    occurredAt: t.field({ type: 'DateTime', resolve: (entry) => entry.occurredAt }),
    actor: t.exposeString('actor', { nullable: true, description: 'The subject of the token that sent the command.' }),
    reason: t.exposeString('reason', { nullable: true }),
    causationId: t.exposeString('causationId', { nullable: true, description: 'The command that caused the event.' }),
    correlationId: t.exposeString('correlationId', { nullable: true, description: 'The request it came with.' }),
  }),
});

interface AuditPage {
  readonly accountId: string;
  readonly entries: readonly AuditEntry[];
  readonly hasMore: boolean;
}

const AuditTrail = builder.objectRef<AuditPage>('AuditTrail').implement({
  fields: (t) => ({
    accountId: t.exposeID('accountId'),
    entries: t.field({ type: [AuditEntryType], resolve: (page) => [...page.entries] }),
    hasMore: t.exposeBoolean('hasMore', { description: 'More entries follow: ask again with afterRevision = the last revision.' }),
  }),
});

builder.queryFields((t) => ({
  accountAudit: t.field({
    type: AuditTrail,
    description: "Every event of an account, oldest first, from the read model's audit trail.",
    args: {
      accountId: t.arg.id({ required: true }),
      first: t.arg.int({ required: true, defaultValue: 100 }),
      afterRevision: t.arg.int({ description: 'Entries after this stream revision; none: from the first.' }),
    },
    errors: typedErrors('AccountAuditResult', [AccountNotFound, InvalidArguments]),
    resolve: async (_root, args, context) => {
      const accountId = String(args.accountId);
      guard(context, 'accountAudit');
      if (args.first < 1 || args.first > context.maxPageSize) {
        throw new InvalidArguments([{ argument: 'first', message: `must be between 1 and ${context.maxPageSize}` }]);
      }
      const [revision, members] = await Promise.all([
        context.readModels.storedRevision(accountId),
        context.readModels.auditEntries(accountId, args.afterRevision ?? -1, args.first + 1),
      ]);
      if (revision === undefined) throw new AccountNotFound(accountId);
      const entries = members.map((member) => JSON.parse(member) as AuditEntry);
      return { accountId, entries: entries.slice(0, args.first), hasMore: entries.length > args.first };
    },
  }),
}));
