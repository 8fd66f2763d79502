import { z } from 'zod';

/**
 * Parses the environment with one zod schema. A bad value stops start-up with a message naming the
 * variable, rather than failing later somewhere far from the cause.
 */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv = process.env): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    process.stderr.write(`Invalid environment:\n${z.prettifyError(parsed.error)}\n`);
    process.exit(1);
  }
  return parsed.data;
}

/** A TCP port number from an environment variable. */
export const portSchema = z.coerce.number().int().min(0).max(65_535);
