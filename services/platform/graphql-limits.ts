import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

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
  const noIntrospection: Plugin = {
    onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
  };
  return options.production ? [armor, noIntrospection] : [armor];
}
