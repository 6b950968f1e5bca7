import { AppError, decodeCursor, encodeCursor, PageInfo } from '@caredesk/core';

export const MAX_PAGE = 100;

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

/** Checks `first` and decodes `after` (keyset over created_at, id). */
export function pageArgs(first: number, after: string | null | undefined) {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw AppError.badInput(`first must be between 1 and ${MAX_PAGE}`, 'first');
  }
  if (after != null && after.length > 200) throw AppError.badInput('Malformed cursor', 'after');
  return { first, cursor: after ? decodeCursor(after) : null };
}

/** A page from `first + 1` rows fetched newest first. */
export function toPage<T extends { createdAt: Date; id: string }>(rows: T[], first: number): Page<T> {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor(last.createdAt, last.id) : null,
    },
  };
}
