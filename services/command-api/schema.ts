import { builder } from './builder.ts';
import './graphql/error-types.ts';
import './graphql/command-accepted.ts';
import './graphql/account-mutations.ts';
import './graphql/transfer-mutations.ts';

export const commandSchema = builder.toSchema();
