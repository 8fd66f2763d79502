import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import ValidationPlugin from '@pothos/plugin-validation';
import type { CommandApiContext } from './context.ts';
import { ValidationFailed } from './graphql/error-classes.ts';

export const builder = new SchemaBuilder<{ Context: CommandApiContext; DefaultFieldNullability: false }>({
  // Output fields are non-null unless they say otherwise: clients should not null-check a revision.
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin, ValidationPlugin],
  errors: {
    // Input validation failures become the typed ValidationFailed result instead of a top-level error.
    // Validation runs before the resolver's role check, so a forbidden caller may learn that its input
    // is malformed; it learns nothing about any account that way.
    unsafelyHandleInputErrors: true,
  },
  validation: {
    validationError: (failure) => ValidationFailed.fromIssues(failure.issues),
  },
});

builder.mutationType({});
// GraphQL requires a query root; the command API answers only the minimum a client needs to probe it.
builder.queryType({
  fields: (t) => ({ commandApiVersion: t.string({ resolve: () => '1' }) }),
});
