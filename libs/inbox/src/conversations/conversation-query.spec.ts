import { RequestContext, Role } from '@caredesk/core';
import {
  afterSql,
  decodeConversationCursor,
  encodeConversationCursor,
  filterSql,
  Params,
} from './conversation-query';
import { ConversationSort, ConversationStatus } from './dto/conversation-enums';

const AGENCY = '6a64854d-6227-4780-89dc-1efd4f022a4b';
const ID = '9ff2197f-8c01-4641-bfbc-55c83ca5d0c4';
const ctx = (brandIds: string[] | null = null, userId = '11111111-1111-4111-8111-111111111111') =>
  new RequestContext({
    agencyId: AGENCY,
    actor: { kind: 'user', userId, membershipId: ID },
    role: Role.AGENT,
    brandIds,
  });

describe('conversation cursors', () => {
  it('round-trip the exact microsecond key and the id', () => {
    const c = { sort: ConversationSort.NEWEST, key: '2026-11-24T01:02:03.123456Z', id: ID };
    expect(decodeConversationCursor(encodeConversationCursor(c), ConversationSort.NEWEST)).toEqual(c);
  });

  it('refuse a cursor of another sort, or a forged one (BAD_USER_INPUT)', () => {
    const c = encodeConversationCursor({
      sort: ConversationSort.NEWEST,
      key: '2026-11-24T01:02:03.1Z',
      id: ID,
    });
    expect(() => decodeConversationCursor(c, ConversationSort.OLDEST)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    for (const bad of ['', 'x', Buffer.from('["NEWEST","1; DROP",""]').toString('base64url')]) {
      expect(() => decodeConversationCursor(bad, ConversationSort.NEWEST)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      );
    }
  });

  it('compare in the direction of the sort', () => {
    const p = new Params();
    expect(afterSql({ sort: ConversationSort.NEWEST, key: 'k', id: ID }, p)).toContain('<');
    expect(afterSql({ sort: ConversationSort.OLDEST, key: 'k', id: ID }, p)).toContain('>');
    expect(afterSql({ sort: ConversationSort.LONGEST_WAITING, key: 'k', id: ID }, p)).toContain(
      'awaiting_reply_since',
    );
  });
});

describe('filterSql', () => {
  it('always scopes to the agency, and to the brands of a brand-limited caller', () => {
    const p = new Params();
    const where = filterSql(ctx([ID]), undefined, p);
    expect(where).toEqual(['c.agency_id = $1', 'c.brand_id = ANY($2::uuid[])']);
    expect(p.values).toEqual([AGENCY, [ID]]);
  });

  it('an empty list matches nothing; malformed ids are dropped, not cast', () => {
    const p = new Params();
    const where = filterSql(ctx(), { statuses: [], channelIds: ['not-a-uuid'] }, p);
    expect(where.filter((w) => w === 'false')).toHaveLength(2);
  });

  it('leaves statuses out for the counts', () => {
    const where = filterSql(ctx(), { statuses: [ConversationStatus.OPEN] }, new Params(), {
      statuses: false,
    });
    expect(where.join(' ')).not.toContain('status');
  });

  it('escapes LIKE wildcards in a search and needs 3 characters', () => {
    const p = new Params();
    filterSql(ctx(), { search: '50%_off' }, p);
    expect(p.values).toContain('%50\\%\\_off%');
    expect(() => filterSql(ctx(), { search: ' ab ' }, new Params())).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });

  it('assignee: exactly one of me, unassigned, userId', () => {
    expect(() => filterSql(ctx(), { assignee: {} }, new Params())).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(filterSql(ctx(), { assignee: { unassigned: true } }, new Params())).toContain(
      'c.assignee_user_id IS NULL',
    );
  });
});
