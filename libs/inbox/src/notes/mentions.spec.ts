import { mentionMatches, parseMentions } from './mentions';

describe('parseMentions', () => {
  it('finds local-part handles and full emails, lower-cased, once each', () => {
    expect(parseMentions('Hi @Jane.Doe, can you and @bob@agency.com look? @jane.doe again')).toEqual([
      'jane.doe',
      'bob@agency.com',
    ]);
  });

  it('drops trailing punctuation and ignores email addresses written in the text', () => {
    expect(parseMentions('Ask @ola. Customer wrote from carla@example.com')).toEqual(['ola']);
  });

  it('reads Unicode handles (Polish, Norwegian, Swedish)', () => {
    expect(parseMentions('@łukasz i @bjørn og @åsa: ta en titt')).toEqual(['łukasz', 'bjørn', 'åsa']);
  });

  it('finds nothing in a note without mentions', () => {
    expect(parseMentions('No mentions here, just an @ sign and mail@')).toEqual([]);
  });
});

describe('mentionMatches', () => {
  it('matches a local part or a whole email, case-insensitively', () => {
    expect(mentionMatches('jane.doe', 'Jane.Doe@agency.com')).toBe(true);
    expect(mentionMatches('jane.doe@agency.com', 'jane.doe@agency.com')).toBe(true);
    expect(mentionMatches('jane', 'jane.doe@agency.com')).toBe(false);
    expect(mentionMatches('jane.doe@other.com', 'jane.doe@agency.com')).toBe(false);
  });
});
