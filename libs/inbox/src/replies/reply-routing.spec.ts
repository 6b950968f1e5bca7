import { AppError, ErrorCode } from '@caredesk/core';
import { Platform } from '@caredesk/channels';
import { Visibility } from '../dto/message.dto';
import { replyRoute } from './reply-routing';

const { PUBLIC, PRIVATE } = Visibility;

describe('replyRoute', () => {
  it.each([
    [Platform.FACEBOOK_PAGE, 'COMMENT', PUBLIC, 'REPLY', false, PUBLIC],
    [Platform.X, 'MENTION', PUBLIC, 'REPLY', false, PUBLIC],
    [Platform.GOOGLE_BUSINESS, 'REVIEW', PUBLIC, 'REPLY', false, PUBLIC],
    [Platform.LINKEDIN, 'COMMENT', PUBLIC, 'REPLY', false, PUBLIC],
    [Platform.TIKTOK, 'COMMENT', PUBLIC, 'REPLY', false, PUBLIC],
    [Platform.FACEBOOK_PAGE, 'COMMENT', PRIVATE, 'PRIVATE_REPLY', true, PRIVATE],
    [Platform.INSTAGRAM, 'COMMENT', PRIVATE, 'PRIVATE_REPLY', true, PRIVATE],
    [Platform.INSTAGRAM, 'MENTION', PRIVATE, 'PRIVATE_REPLY', true, PRIVATE],
    [Platform.X, 'MENTION', PRIVATE, 'PRIVATE_REPLY', true, PRIVATE],
    // A DM or an email answer is private whatever was asked (the input defaults to PUBLIC).
    [Platform.FACEBOOK_PAGE, 'DM', PUBLIC, 'DIRECT_MESSAGE', false, PRIVATE],
    [Platform.X, 'DM', PRIVATE, 'DIRECT_MESSAGE', false, PRIVATE],
    [Platform.EMAIL, 'EMAIL', PUBLIC, 'EMAIL', false, PRIVATE],
    [Platform.EMAIL, 'EMAIL', PRIVATE, 'EMAIL', false, PRIVATE],
  ] as const)('%s %s %s → %s (links DM: %s), stored %s', (platform, kind, asked, action, links, stored) => {
    expect(replyRoute(platform, kind, asked)).toEqual({
      action,
      linksDirectConversation: links,
      visibility: stored,
    });
  });

  it.each([
    [Platform.GOOGLE_BUSINESS, 'REVIEW'],
    [Platform.LINKEDIN, 'COMMENT'],
    [Platform.LINKEDIN, 'MENTION'],
    [Platform.TIKTOK, 'COMMENT'],
  ] as const)('refuses a private answer on %s to a %s (BAD_USER_INPUT on visibility)', (platform, kind) => {
    let error: unknown;
    try {
      replyRoute(platform, kind, PRIVATE);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as AppError).details).toEqual({ field: 'visibility' });
  });
});
