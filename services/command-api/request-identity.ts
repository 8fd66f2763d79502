import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

const correlationIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id when it is a sane token; a fresh one otherwise, so every event has one. */
export function correlationIdOf(request: Request): string {
  const given = request.headers.get(CORRELATION_HEADER);
  return given !== null && correlationIdPattern.test(given) ? given : randomUUID();
}
