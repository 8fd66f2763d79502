import { EnvelopArmor } from '@escape.tech/graphql-armor';
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
type ArmorPlugin = ReturnType<EnvelopArmor['protect']>['plugins'][number];

export function graphqlLimits(options: GraphqlLimitOptions): (Plugin | ArmorPlugin)[] {
  const { plugins } = new EnvelopArmor({
    maxDepth: { n: options.maxDepth },
    maxAliases: { n: options.maxAliases },
    costLimit: { maxCost: options.maxCost },
    maxTokens: { n: options.maxTokens },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  const noIntrospection: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(noSchemaIntrospection) };
  const all: (Plugin | ArmorPlugin)[] = options.production ? [...plugins, noIntrospection] : plugins;
  const validationOnly = all.filter((plugin) => Object.keys(plugin).join() === 'onValidate');
  return [inOneValidateHook(validationOnly), ...all.filter((plugin) => !validationOnly.includes(plugin))];
}

type OnValidate = NonNullable<ArmorPlugin['onValidate']>;
type OnValidateEnd = Exclude<ReturnType<OnValidate>, void>;

/**
 * Envelop calls each plugin's onValidate with a fresh payload and callbacks, on every request even when
 * yoga's cache already holds the document's validation result; graphql-armor alone brings five. This runs
 * the plugins' onValidate hooks in order as one, and their onValidateEnd callbacks in order after it.
 */
function inOneValidateHook(plugins: readonly (Plugin | ArmorPlugin)[]): Plugin {
  const hooks = plugins.map((plugin) => plugin.onValidate).filter((hook): hook is OnValidate => hook !== undefined);
  return {
    onValidate(payload) {
      const ends: OnValidateEnd[] = [];
      for (const hook of hooks) {
        const end = hook(payload);
        if (end) ends.push(end);
      }
      if (ends.length === 0) return undefined;
      return (done) => {
        let result = done.result;
        for (const end of ends) {
          end({ ...done, valid: result.length === 0, result, setResult: (newResult) => done.setResult((result = newResult)) });
        }
      };
    },
  };
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
