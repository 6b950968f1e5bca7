import { keysetPage, keysetPageArgs, PageInfo } from '@caredesk/core';

export const MAX_PAGE = 100;

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

/** Checks `first` and decodes `after` (keyset over created_at, id). */
export function pageArgs(first: number, after: string | null | undefined) {
  return keysetPageArgs(first, after, MAX_PAGE);
}

/** A page from `first + 1` rows fetched newest first. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], first: number): Page<T> {
  return keysetPage(rows, first, (r) => r.createdAt);
}
