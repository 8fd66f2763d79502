import { deciderSpec } from '../given-when-then.ts';
import { decide } from './decide.ts';
import { fold } from './state.ts';

/** given(history).when(command).then(expectedEvents) | .thenRejects(expectedError): an account decider test. */
export const given = deciderSpec(decide, (events) => fold(events));
