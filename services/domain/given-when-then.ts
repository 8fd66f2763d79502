import { expect } from 'vitest';

type Decision<Event, Error> = { readonly accepted: true; readonly events: readonly Event[] } | { readonly accepted: false; readonly error: Error };

/** given(history).when(command).then(expectedEvents) | .thenRejects(expectedError), for any decider. */
export function deciderSpec<Command, Event, State, Error extends { type: string }>(
  decide: (command: Command, state: State) => Decision<Event, Error>,
  fold: (events: Iterable<Event>) => State,
) {
  return (...history: Event[]) => ({
    when(command: Command) {
      const decision = decide(command, fold(history));
      return {
        then(...expected: Event[]): void {
          expect(decision).toEqual({ accepted: true, events: expected });
        },
        thenRejects(expected: Partial<Error> & Pick<Error, 'type'>): void {
          expect(decision).toMatchObject({ accepted: false, error: expected });
        },
      };
    },
  });
}
