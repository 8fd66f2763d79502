import { expect } from 'vitest';
import type { AccountCommand } from './commands.ts';
import { decide } from './decide.ts';
import type { AccountError } from './errors.ts';
import type { AccountEvent } from './events.ts';
import { fold } from './state.ts';

/** given(history).when(command).then(expectedEvents) | .thenRejects(expectedError): a decider test. */
export function given(...history: AccountEvent[]) {
  return {
    when(command: AccountCommand) {
      const decision = decide(command, fold(history));
      return {
        then(...expected: AccountEvent[]): void {
          expect(decision).toEqual({ accepted: true, events: expected });
        },
        thenRejects(expected: Partial<AccountError> & Pick<AccountError, 'type'>): void {
          expect(decision).toMatchObject({ accepted: false, error: expected });
        },
      };
    },
  };
}
