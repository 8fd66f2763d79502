import type { ObjectRef } from '@pothos/core';
import { builder, type QueryApiTypes } from '../builder.ts';

export interface Edge<Node> {
  readonly cursor: string;
  readonly node: Node;
}

export interface Page<Node> {
  readonly edges: readonly Edge<Node>[];
  readonly hasNextPage: boolean;
}

const PageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  description: 'Forward pagination only: pass endCursor as `after` to get the next page.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** A Relay-style connection type (`<Name>Connection` with edges and pageInfo) over `node`. */
export function connectionType<Node>(name: string, node: ObjectRef<PothosSchemaTypes.ExtendDefaultTypes<QueryApiTypes>, Node>) {
  const EdgeType = builder.objectRef<Edge<Node>>(`${name}Edge`).implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: node, resolve: (edge) => edge.node as never }) }),
  });
  return builder.objectRef<Page<Node>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [EdgeType], resolve: (page) => [...page.edges] }),
      nodes: t.field({ type: [node], resolve: (page) => page.edges.map((edge) => edge.node) as never }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (page) => ({ hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null }),
      }),
    }),
  });
}
