import { deciderSpec } from '../given-when-then.ts';
import { decideTransfer } from './decide.ts';
import { foldTransfer } from './state.ts';

/** given(history).when(command).then(expectedEvents) | .thenRejects(expectedError): a transfer decider test. */
export const given = deciderSpec(decideTransfer, (events) => foldTransfer(events));
