import {
  customerThreadKey,
  EmailItem,
  EmailLookup,
  FoundThread,
  mayFoldNamingMail,
  mayJoinEmailThread,
  personalRecipients,
  placeEmails,
} from './email-threads.rules';

const CH = 'channel-1';
const KARI = 'kari@example.no';
const OLA = 'ola@example.no';
const PER = 'per@example.no';

const mail = (externalId: string, ancestors: string[], over: Partial<EmailItem> = {}): EmailItem => ({
  channelId: CH,
  externalId,
  threadKey: `email:${ancestors[ancestors.length - 1] ?? externalId}`,
  direction: 'INBOUND',
  ancestors,
  customer: KARI,
  recipients: [],
  ...over,
});

/** Stored messages and conversations keyed by a root, by id (one channel). */
const lookup = (
  messages: Record<string, FoundThread>,
  roots: Record<string, FoundThread> = {},
  channelId = CH,
): EmailLookup => ({
  message: (ch, id) => (ch === channelId ? messages[id] : undefined),
  rootKey: (ch, id) => (ch === channelId ? roots[id] : undefined),
});

const customerMail = (threadKey: string, customers = [KARI]): FoundThread => ({
  threadKey,
  via: 'CUSTOMER',
  customers,
});

describe('mayJoinEmailThread', () => {
  it.each([
    ['a customer mail, another customer', 'CUSTOMER', [KARI], OLA, true],
    ["the brand's reply, another customer", 'REPLY', [KARI], OLA, true],
    ["the brand's starter, its own customer", 'STARTER', [KARI], KARI, true],
    ["the brand's starter, another customer", 'STARTER', [KARI], OLA, false],
    ['a conversation of that root, its own customer', 'ROOT_KEY', [KARI], KARI, true],
    ['a conversation of that root, another customer', 'ROOT_KEY', [KARI], OLA, false],
    ['a conversation of that root without a customer', 'ROOT_KEY', [], OLA, true],
    ["the brand's starter, a mail without customer", 'STARTER', [KARI], null, false],
  ] as const)('%s → %s', (_, via, customers, customer, expected) => {
    expect(mayJoinEmailThread({ via, customers: [...customers] }, customer)).toBe(expected);
  });

  it.each([
    ["the brand's personal mail, the colleague on its CC", 'STARTER', [KARI, OLA], OLA, true],
    ["the brand's personal mail, its own customer", 'STARTER', [KARI, OLA], KARI, true],
    ["the brand's personal mail, someone it did not show (BCC)", 'STARTER', [KARI, OLA], PER, false],
    ["the brand's broadcast (no recipients kept), another customer", 'STARTER', [], OLA, false],
    ['a conversation of that root: recipients are not read', 'ROOT_KEY', [KARI, OLA], OLA, false],
    ["the brand's personal mail, a mail without customer", 'STARTER', [KARI, OLA], null, false],
  ] as const)('%s → %s', (_, via, recipients, customer, expected) => {
    expect(mayJoinEmailThread({ via, customers: [KARI], recipients: [...recipients] }, customer)).toBe(
      expected,
    );
  });
});

describe('personalRecipients (personal vs broadcast)', () => {
  it.each([
    ['To one customer, a colleague on CC', KARI, OLA, [KARI, OLA]],
    ['To one customer, no CC', KARI, '', [KARI]],
    [
      'To one customer, two on CC (case and repeats folded)',
      'Kari@Example.no',
      `${OLA} ${PER} ${OLA}`,
      [KARI, OLA, PER],
    ],
    ['To two customers: a broadcast', `${KARI} ${OLA}`, '', []],
    ['To two customers with a CC: a broadcast', `${KARI} ${OLA}`, PER, []],
    ['To nobody but the brand (everyone on BCC): a broadcast', '', OLA, []],
    ['stored before recipients were kept: a broadcast', undefined, undefined, []],
    ['the same address twice in To is one', `${KARI} ${KARI}`, OLA, [KARI, OLA]],
  ])('%s', (_, to, cc, expected) => {
    expect(personalRecipients(to, cc)).toEqual(expected);
  });
});

describe('mayFoldNamingMail (a reply stored before the mail it names)', () => {
  const starter = (recipients: string[]) =>
    mail('start', [], { direction: 'OUTBOUND', threadKey: 'email:start', recipients });
  it.each([
    ["the brand's personal mail; the reply's customer was on its CC", starter([KARI, OLA]), [OLA], true],
    [
      "the brand's personal mail; the reply's customer was not shown (BCC)",
      starter([KARI, OLA]),
      [PER],
      false,
    ],
    ["the brand's broadcast; another customer's reply", starter([]), [OLA], false],
    ["the brand's broadcast; its own customer's reply", starter([]), [KARI], true],
    ["a customer's mail; anyone's reply", mail('k0', []), [PER], true],
  ])('%s → %s', (_, it, customers, expected) => {
    expect(mayFoldNamingMail(it, customers)).toBe(expected);
  });
});

describe('placeEmails', () => {
  it('joins the nearest stored ancestor; the unknown nearer ones are reported', () => {
    const [p] = placeEmails(
      [mail('m4', ['gone', 'm2', 'm1'])],
      lookup({ m2: customerMail('email:m1'), m1: customerMail('email:other') }),
    );
    expect(p).toEqual({ threadKey: 'email:m1', unknown: ['gone'] });
  });

  it('a client that kept only the last id still joins (our reply counts)', () => {
    const [p] = placeEmails(
      [mail('m3', ['ours'])],
      lookup({ ours: { threadKey: 'email:m1', via: 'REPLY', customers: [KARI] } }),
    );
    expect(p.threadKey).toBe('email:m1');
  });

  it('nothing stored: keyed by its root per customer, every ancestor unknown', () => {
    const [p] = placeEmails([mail('m3', ['m2', 'm1'])], lookup({}));
    expect(p).toEqual({ threadKey: customerThreadKey('email:m1', KARI), unknown: ['m2', 'm1'] });
    expect(p.threadKey).toBe('email:m1 kari@example.no');
  });

  it('a mail naming nothing keeps its key', () => {
    expect(placeEmails([mail('m1', [])], lookup({}))).toEqual([{ threadKey: 'email:m1', unknown: [] }]);
  });

  it('another channel (or tenant) holding the id is never joined', () => {
    const [p] = placeEmails([mail('m3', ['m1'])], lookup({ m1: customerMail('email:m1') }, {}, 'channel-2'));
    expect(p.threadKey).toBe('email:m1 kari@example.no');
  });

  it("a reply to the brand's newsletter: only its own customer's conversation", () => {
    const newsletter: FoundThread = { threadKey: 'email:news', via: 'STARTER', customers: ['list@brand'] };
    const stored = lookup({ news: newsletter });
    const [kari, ola] = placeEmails([mail('k1', ['news']), mail('o1', ['news'], { customer: OLA })], stored);
    expect(kari.threadKey).toBe('email:news kari@example.no');
    expect(ola.threadKey).toBe('email:news ola@example.no');
    // A stored mail that was not joined is known: nothing to look for again.
    expect(kari.unknown).toEqual([]);
  });

  it("a reply to the brand's personal mail: the colleague on its CC joins, a stranger does not", () => {
    const personal: FoundThread = {
      threadKey: 'email:start',
      via: 'STARTER',
      customers: [KARI],
      recipients: [KARI, OLA],
    };
    const [ola, per] = placeEmails(
      [mail('o1', ['start'], { customer: OLA }), mail('p1', ['start'], { customer: PER })],
      lookup({ start: personal }),
    );
    expect(ola).toEqual({ threadKey: 'email:start', unknown: [] });
    expect(per).toEqual({ threadKey: 'email:start per@example.no', unknown: [] });
  });

  it("the brand's mail in the same batch: personal is joined by its CC, a broadcast is not", () => {
    const placed = placeEmails(
      [
        // The replies first: a mail of the batch follows the one it names whatever the order.
        mail('o1', ['personal'], { customer: OLA }),
        mail('o2', ['broadcast'], { customer: OLA }),
        mail('personal', [], { direction: 'OUTBOUND', threadKey: 'email:personal', recipients: [KARI, OLA] }),
        mail('broadcast', [], { direction: 'OUTBOUND', threadKey: 'email:broadcast', recipients: [] }),
      ],
      lookup({}),
    );
    expect(placed.map((p) => p.threadKey)).toEqual([
      'email:personal',
      'email:broadcast ola@example.no',
      'email:personal',
      'email:broadcast',
    ]);
    expect(placed.map((p) => p.unknown)).toEqual([[], [], [], []]);
  });

  it('a conversation keyed by an unknown root: its own customer joins, another does not', () => {
    const roots: Record<string, FoundThread> = {
      root: { threadKey: 'email:root', via: 'ROOT_KEY', customers: [KARI] },
    };
    const [kari, ola] = placeEmails(
      [mail('k2', ['root']), mail('o2', ['root'], { customer: OLA })],
      lookup({}, roots),
    );
    expect(kari).toEqual({ threadKey: 'email:root', unknown: [] });
    expect(ola).toEqual({ threadKey: 'email:root ola@example.no', unknown: ['root'] });
  });

  it('a colleague answering a customer mail joins that conversation (same chain)', () => {
    const [p] = placeEmails(
      [mail('o3', ['k1', 'news'], { customer: OLA })],
      lookup({ k1: customerMail('email:news kari@example.no') }),
    );
    expect(p.threadKey).toBe('email:news kari@example.no');
  });

  it('mails of one batch follow each other whatever the order given', () => {
    const placed = placeEmails(
      [mail('m3', ['m2', 'm1']), mail('m2', ['m1']), mail('m1', [], { threadKey: 'email:m1' })],
      lookup({}),
    );
    expect(placed.map((p) => p.threadKey)).toEqual(['email:m1', 'email:m1', 'email:m1']);
    expect(placed.map((p) => p.unknown)).toEqual([[], [], []]);
  });

  it('a cycle of crafted headers ends', () => {
    const placed = placeEmails([mail('a', ['b']), mail('b', ['a'])], lookup({}));
    expect(new Set(placed.map((p) => p.threadKey)).size).toBe(1);
  });
});
