import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { QueryApiContext } from './context.ts';

export interface QueryApiTypes {
  Context: QueryApiContext;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date | string } };
}

export const builder = new SchemaBuilder<QueryApiTypes>({
  // Output fields are non-null unless they say otherwise, as in the command API.
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin],
});

builder.queryType({});
builder.subscriptionType({});
