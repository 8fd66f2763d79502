import { builder } from './builder.ts';
import './graphql/scalars.ts';
import './graphql/errors.ts';
import './graphql/account-types.ts';
import './graphql/account-queries.ts';
import './graphql/list-queries.ts';
import './graphql/account-subscription.ts';
import './graphql/audit-query.ts';
import './graphql/transfer-queries.ts';

export const querySchema = builder.toSchema();
