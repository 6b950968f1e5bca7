import { AppError } from '@caredesk/core';
import { credentialFieldNames, credentialsFromInput } from './channel-credentials';
import { normalizeExternalAccountId, Platform } from './platform';

describe('credentialsFromInput', () => {
  it('keeps the secrets given and names them for the audit log', () => {
    const creds = credentialsFromInput({
      accessToken: 't',
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      extra: [{ key: 'smtpPassword', value: 'p' }],
    });
    expect(creds).toEqual({
      accessToken: 't',
      expiresAt: '2030-01-01T00:00:00.000Z',
      extra: { smtpPassword: 'p' },
    });
    expect(credentialFieldNames(creds)).toEqual(['accessToken', 'expiresAt', 'extra.smtpPassword']);
  });

  it('needs at least one secret: an expiry alone is not one', () => {
    for (const input of [{}, { expiresAt: new Date() }, { extra: [] }, null]) {
      expect(() => credentialsFromInput(input)).toThrow(AppError);
    }
    expect(() => credentialsFromInput({})).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'credentials' } }),
    );
  });

  it('refuses an extra key given twice, including __proto__ tricks', () => {
    expect(() =>
      credentialsFromInput({
        extra: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ],
      }),
    ).toThrow(/twice/);
    const creds = credentialsFromInput({ extra: [{ key: 'constructor', value: 'x' }] });
    expect(creds.extra.constructor).toBe('x');
  });
});

describe('normalizeExternalAccountId', () => {
  it('lower-cases email addresses only', () => {
    expect(normalizeExternalAccountId(Platform.EMAIL, 'Help@Acme.COM')).toBe('help@acme.com');
    expect(normalizeExternalAccountId(Platform.LINKEDIN, 'urn:li:organization:ABC')).toBe(
      'urn:li:organization:ABC',
    );
  });
});
