import { defineAccountsProjection } from './account-projection.ts';
import type { Projection } from './projection.ts';
import { defineTransfersProjection } from './transfer-projection.ts';

/** The projections this system runs: the workers follow each one's versions, and ops can rebuild them. */
export const projectionCatalog: readonly Projection[] = [defineAccountsProjection(), defineTransfersProjection()];
