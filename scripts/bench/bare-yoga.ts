// The baseline for bench:command-api: a graphql-yoga server that does nothing but answer `{ hello }`.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  landingPage: false,
});
const port = Number(process.env.PORT ?? 4100);
createServer(yoga).listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
