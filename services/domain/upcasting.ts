import type { JsonObject } from './json.ts';

/** Turns the data of one schema version into the data of the next one. */
export type Upcaster = (data: JsonObject) => JsonObject;

export interface UpcasterChain<Type extends string> {
  readonly currentVersion: (type: Type) => number;
  /** Brings data written at any older schema version up to the current one, one step at a time. */
  readonly upcast: (type: Type, schemaVersion: number, data: JsonObject) => JsonObject;
}

export class UnknownSchemaVersionError extends Error {
  constructor(type: string, schemaVersion: number, current: number) {
    super(`${type} schemaVersion ${schemaVersion} is not readable here (current is ${current}); is this code older than the writer?`);
    this.name = 'UnknownSchemaVersionError';
  }
}

/**
 * Builds a chain from the current version per type and the steps keyed `Type@vN` (N → N+1).
 * A missing step fails at construction, not when an old event finally shows up in production.
 */
export function createUpcasterChain<Type extends string>(
  currentVersions: Readonly<Record<Type, number>>,
  steps: Readonly<Partial<Record<`${Type}@v${number}`, Upcaster>>>,
): UpcasterChain<Type> {
  const stepFor = (type: Type, version: number): Upcaster | undefined =>
    (steps as Readonly<Record<string, Upcaster | undefined>>)[`${type}@v${version}`];
  for (const type of Object.keys(currentVersions) as Type[]) {
    for (let version = 1; version < currentVersions[type]; version += 1) {
      if (stepFor(type, version) === undefined) throw new Error(`no upcaster for ${type} v${version} → v${version + 1}`);
    }
  }
  return {
    currentVersion: (type) => currentVersions[type],
    upcast: (type, schemaVersion, data) => {
      const current = currentVersions[type];
      if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > current) {
        throw new UnknownSchemaVersionError(type, schemaVersion, current);
      }
      let upcasted = data;
      for (let version = schemaVersion; version < current; version += 1) {
        // The constructor checked every step exists.
        upcasted = (stepFor(type, version) as Upcaster)(upcasted);
      }
      return upcasted;
    },
  };
}
