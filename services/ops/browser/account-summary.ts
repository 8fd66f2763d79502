// An account's read model, fetched from the query API over HTTP (the browser never reads Redis itself),
// so an analyst can compare what happened (the stream) with what clients are shown (the read model).
import { html, type SafeHtml } from './html.ts';

export interface AccountReadModel {
  readonly holderName: string;
  readonly currency: string;
  readonly balance: string;
  readonly status: string;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly transactionCount: number;
  readonly revision: number;
}

export type AccountSummary =
  | { readonly kind: 'found'; readonly account: AccountReadModel }
  | { readonly kind: 'answered'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

const ACCOUNT_QUERY = `query BrowseAccount($id: ID!) { account(id: $id) { __typename
  ... on Account { holderName currency balance status openedAt updatedAt transactionCount revision }
  ... on Error { message } } }`;

interface AccountAnswer {
  readonly data?: { readonly account?: (Partial<AccountReadModel> & { readonly __typename: string; readonly message?: string }) | null };
  readonly errors?: readonly { readonly message: string }[];
}

export async function fetchAccountSummary(queryApiUrl: string, accountId: string, timeoutMs: number): Promise<AccountSummary> {
  let answer: AccountAnswer;
  try {
    const response = await fetch(queryApiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ACCOUNT_QUERY, variables: { id: accountId } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { kind: 'unavailable', reason: `it answered HTTP ${response.status}` };
    answer = (await response.json()) as AccountAnswer;
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'it is not reachable';
    return { kind: 'unavailable', reason };
  }
  const account = answer.data?.account;
  if (account?.__typename === 'Account') return { kind: 'found', account: account as AccountReadModel };
  return { kind: 'answered', message: account?.message ?? answer.errors?.[0]?.message ?? 'no account in the answer' };
}

/** The aside beside an account stream; `streamRevision` is the stream's last event number. */
export function renderAccountSummary(summary: AccountSummary, queryApiUrl: string, streamRevision: number | undefined): SafeHtml {
  if (summary.kind === 'unavailable') {
    return html`<aside id="read-model"><h2>Read model</h2><p class="note">Read model not shown: the query API at ${queryApiUrl} did not answer (${summary.reason}).</p></aside>`;
  }
  if (summary.kind === 'answered') {
    return html`<aside id="read-model"><h2>Read model</h2><p class="note">The query API answered: ${summary.message}</p></aside>`;
  }
  const { account } = summary;
  const behind = streamRevision === undefined ? undefined : streamRevision - account.revision;
  const rows: [string, string | number][] = [
    ['Holder', account.holderName], ['Balance', `${account.balance} ${account.currency}`], ['Status', account.status],
    ['Transactions', account.transactionCount], ['Opened', account.openedAt], ['Updated', account.updatedAt],
    ['Includes event', `#${account.revision}`],
  ];
  return html`<aside id="read-model"><h2>Read model</h2>
<table>${rows.map(([name, value]) => html`<tr><th>${name}</th><td>${value}</td></tr>`)}</table>
${behind !== undefined && behind > 0 ? html`<p class="note">${behind} newer event(s) in the stream are not in the read model yet.</p>` : ''}</aside>`;
}
