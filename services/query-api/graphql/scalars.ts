import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';

// ISO 8601 with an explicit offset: an instant without one would be read in the server's time zone.
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: unknown): Date {
  const date = typeof value === 'string' && instant.test(value) ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime must be an ISO 8601 instant with an offset, e.g. 2026-01-01T12:00:00.000Z; got ${JSON.stringify(value)}`);
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant as an ISO 8601 string with an offset, millisecond precision.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: parseInstant,
});
