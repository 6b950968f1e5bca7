import type { AppConfig } from '@caredesk/core';
import { AttachmentFetcher } from './attachment-fetcher';

const fetcher = (hosts: string[]) =>
  new AttachmentFetcher({
    attachments: { copyHosts: hosts, copyMaxBytes: 1000 },
    platforms: { timeoutMs: 1000 },
  } as unknown as AppConfig);

describe('AttachmentFetcher.copyable', () => {
  const f = fetcher(['fbcdn.net', 'cdninstagram.com']);

  it.each([
    ['https://scontent.xx.fbcdn.net/v/t1/468001234_n.jpg?oh=1&oe=2', true],
    ['https://fbcdn.net/x.jpg', true],
    ['http://SCONTENT-ARN2-1.CDNINSTAGRAM.COM/v/a.mp4', true],
    // A look-alike is not a subdomain.
    ['https://evilfbcdn.net/x.jpg', false],
    ['https://fbcdn.net.evil.example/x.jpg', false],
    ['https://cdn.fbsbx.com/v/receipt.pdf', false],
    ['ftp://scontent.xx.fbcdn.net/x.jpg', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
    [null, false],
  ])('%s → %s', (url, expected) => {
    expect(f.copyable(url)).toBe(expected);
  });

  it('copies nothing when no host is configured', () => {
    expect(fetcher([]).copyable('https://scontent.xx.fbcdn.net/x.jpg')).toBe(false);
  });
});
