// Query parameters from the address bar: checked here, so a bad one gets a clear 400 page.

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export function streamParam(query: URLSearchParams, name: string): string {
  const value = query.get(name)?.trim() ?? '';
  if (value === '') throw new BadRequest(`Give a stream name in '${name}'.`);
  if (value.length > 1_000) throw new BadRequest('A stream name is at most 1000 characters long.');
  return value;
}

export function revisionParam(query: URLSearchParams, name: string): number {
  const value = query.get(name)?.trim() ?? '';
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new BadRequest(`'${name}' must be an event number (0, 1, 2, …), not '${value.slice(0, 40)}'.`);
  }
  return Number(value);
}

export function categoryParam(query: URLSearchParams): string {
  const value = query.get('category')?.trim() ?? '';
  // A category is what comes before the first '-' of a stream name.
  if (!/^[^-\s]{1,100}$/.test(value)) throw new BadRequest(`'category' must be a category name such as 'account', not '${value.slice(0, 40)}'.`);
  return value;
}
