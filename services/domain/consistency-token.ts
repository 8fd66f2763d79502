/**
 * A token a mutation returns and a query may pass back: "wait until the read model has seen at least this
 * revision of this stream". Readable on purpose (`account-<uuid>@7`), so it can be pasted into ops tools.
 */
export interface ConsistencyPoint {
  readonly streamName: string;
  readonly revision: bigint;
}

export function encodeConsistencyToken(point: ConsistencyPoint): string {
  return `${point.streamName}@${point.revision}`;
}

export function decodeConsistencyToken(token: string): ConsistencyPoint | undefined {
  const match = /^([a-zA-Z][\w$]*-[\w-]+)@(\d{1,19})$/.exec(token);
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined;
  return { streamName: match[1], revision: BigInt(match[2]) };
}
