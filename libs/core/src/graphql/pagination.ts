import { Type } from '@nestjs/common';
import { Field, ObjectType } from '@nestjs/graphql';
import { AppError } from '../errors/app-error';

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

/** Relay-style connection type for a node type. */
export function Connection<T>(node: Type<T>, name: string): Type<{ nodes: T[]; pageInfo: PageInfo }> {
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [node]) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return ConnectionType;
}

/** Opaque keyset cursor over (created_at, id). */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw AppError.badInput('Malformed cursor', 'after');
  }
}

/** Checks `first` (1…max) and decodes `after`, for a keyset page over (created_at, id). */
export function keysetPageArgs(
  first: number,
  after: string | null | undefined,
  max: number,
): { first: number; cursor: { createdAt: Date; id: string } | null } {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw AppError.badInput(`first must be between 1 and ${max}`, 'first');
  }
  if (after != null && after.length > 200) throw AppError.badInput('Malformed cursor', 'after');
  return { first, cursor: after ? decodeCursor(after) : null };
}

/**
 * A page from `first + 1` rows fetched newest first (the extra row says whether there is more);
 * `sortedAt` is the time the keyset orders by (created_at, or received_at for inbound events).
 */
export function keysetPage<T extends { id: string }>(
  rows: T[],
  first: number,
  sortedAt: (row: T) => Date,
): { nodes: T[]; pageInfo: PageInfo } {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor(sortedAt(last), last.id) : null,
    },
  };
}
