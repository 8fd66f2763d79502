import { builder } from '../builder.ts';

export interface CommandAcceptedShape {
  readonly aggregateId: string;
  readonly streamName: string;
  readonly revision: number;
  readonly position: string | null;
  readonly consistencyToken: string;
}

export const CommandAccepted = builder.objectRef<CommandAcceptedShape>('CommandAccepted').implement({
  description: 'The command was appended (or had been before, for a repeated commandId).',
  fields: (t) => ({
    aggregateId: t.exposeID('aggregateId'),
    streamName: t.exposeString('streamName'),
    revision: t.exposeInt('revision', { description: 'Stream revision of the last event the command appended.' }),
    position: t.exposeString('position', {
      nullable: true,
      description: 'Commit position in $all, as a decimal string (64-bit); null if the store did not report it.',
    }),
    consistencyToken: t.exposeString('consistencyToken', {
      description: 'Pass to the query API to read a model that includes this command.',
    }),
  }),
});
