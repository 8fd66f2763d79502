// Prints each service's GraphQL schema to schema/<name>.graphql; with --check, fails if a committed file
// differs from what the code prints (CI runs `npm run schema:check`).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** One line per printed schema; loaded lazily so one broken service does not hide another's drift. */
const schemas: Record<string, () => Promise<GraphQLSchema>> = {
  'command.graphql': async () => (await import('../services/command-api/index.ts')).commandSchema,
  'query.graphql': async () => (await import('../services/query-api/index.ts')).querySchema,
};

const schemaPath = (file: string): string => fileURLToPath(new URL(`../schema/${file}`, import.meta.url));

export const printedSchema = (schema: GraphQLSchema): string => `${printSchema(lexicographicSortSchema(schema))}\n`;

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const drifted: string[] = [];
  for (const [file, load] of Object.entries(schemas)) {
    const printed = printedSchema(await load());
    if (!check) {
      await writeFile(schemaPath(file), printed);
      process.stdout.write(`wrote schema/${file}\n`);
      continue;
    }
    const committed = await readFile(schemaPath(file), 'utf8').catch(() => undefined);
    if (committed !== printed) drifted.push(file);
  }
  if (drifted.length > 0) {
    process.stderr.write(`schema drift in ${drifted.map((file) => `schema/${file}`).join(', ')}: run 'npm run schema:print' and commit\n`);
    process.exit(1);
  }
  if (check) process.stdout.write(`schema files match the code: ${Object.keys(schemas).join(', ')}\n`);
}

await main();
