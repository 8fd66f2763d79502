import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';
/** Placeholder until authentication exists: whoever calls says who they are. */
export const ACTOR_HEADER = 'x-actor';
export const ANONYMOUS_ACTOR = 'anonymous';

const correlationIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
const actorPattern = /^[\p{L}\p{N} ._@:-]{1,128}$/u;

/** The caller's correlation id when it is a sane token; a fresh one otherwise, so every event has one. */
export function correlationIdOf(request: Request): string {
  const given = request.headers.get(CORRELATION_HEADER);
  return given !== null && correlationIdPattern.test(given) ? given : randomUUID();
}

/** The caller's self-declared actor, or "anonymous" when absent or not a plain name. */
export function actorOf(request: Request): string {
  const given = request.headers.get(ACTOR_HEADER)?.trim();
  return given !== undefined && actorPattern.test(given) ? given : ANONYMOUS_ACTOR;
}
