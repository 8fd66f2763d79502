import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface GraphqlLimitOptions {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  /** Production hides the schema: introspection queries fail validation (GraphiQL is off there too). */
  readonly production: boolean;
}

/**
 * The limits every GraphQL API here applies before executing a document: depth, aliases, cost, tokens
 * and directives (graphql-armor), no field-name suggestions in errors, and no introspection in production.
 */
export function graphqlLimits(options: GraphqlLimitOptions): (Plugin | ReturnType<typeof EnvelopArmorPlugin>)[] {
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: options.maxDepth },
    maxAliases: { n: options.maxAliases },
    costLimit: { maxCost: options.maxCost },
    maxTokens: { n: options.maxTokens },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  });
  const noIntrospection: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(noSchemaIntrospection) };
  return options.production ? [armor, noIntrospection] : [armor];
}

/**
 * Refuses `__schema` and `__type` (`__typename` stays: clients need it for unions). Like graphql's own
 * NoSchemaIntrospectionCustomRule, but reading only the syntax tree: graphql's rule checks type classes,
 * which fail across graphql's CommonJS and ESM builds when both get loaded (as under vitest).
 */
const noSchemaIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(createGraphQLError(`GraphQL introspection is not allowed here, but the query contained ${node.name.value}.`, { nodes: [node] }));
    }
  },
});
