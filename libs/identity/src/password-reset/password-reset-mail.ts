import { MailMessage, renderActionMail } from '@caredesk/core';

export function passwordResetMail(to: string, url: string): MailMessage {
  return renderActionMail({
    to,
    subject: 'Reset your Caredesk password',
    paragraphs: [
      'Hello,',
      'Someone (hopefully you) asked to reset the password of your Caredesk account.',
      'The link below works once, for one hour. Using it signs you out everywhere.',
    ],
    actionLabel: 'Choose a new password',
    actionUrl: url,
    footer: 'If you did not ask for this, ignore this mail: your password stays as it is.',
  });
}
