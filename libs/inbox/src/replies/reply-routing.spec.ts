import { AppError, ErrorCode } from '@caredesk/core';
import { Visibility } from '../dto/message.dto';
import { replyRoute } from './reply-routing';

describe('replyRoute', () => {
  it.each([
    ['COMMENT', Visibility.PUBLIC, 'REPLY', false],
    ['MENTION', Visibility.PUBLIC, 'REPLY', false],
    ['REVIEW', Visibility.PUBLIC, 'REPLY', false],
    ['COMMENT', Visibility.PRIVATE, 'PRIVATE_REPLY', true],
    ['MENTION', Visibility.PRIVATE, 'PRIVATE_REPLY', true],
    ['DM', Visibility.PUBLIC, 'DIRECT_MESSAGE', false],
    ['DM', Visibility.PRIVATE, 'DIRECT_MESSAGE', false],
    ['EMAIL', Visibility.PUBLIC, 'EMAIL', false],
    ['EMAIL', Visibility.PRIVATE, 'EMAIL', false],
  ] as const)('%s %s → %s (links DM: %s)', (kind, visibility, action, links) => {
    expect(replyRoute(kind, visibility)).toEqual({ action, linksDirectConversation: links });
  });

  it('refuses a private answer to a review', () => {
    try {
      replyRoute('REVIEW', Visibility.PRIVATE);
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe(ErrorCode.BAD_USER_INPUT);
      expect((e as AppError).details).toEqual({ field: 'visibility' });
    }
  });
});
