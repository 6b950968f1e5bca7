import { MailMessage, renderActionMail, Role } from '@caredesk/core';

export function invitationMail(input: {
  to: string;
  agencyName: string;
  role: Role;
  brandName?: string;
  url: string;
  expiresAt: Date;
}): MailMessage {
  const stakeholder = input.role === Role.CLIENT_VIEWER && input.brandName;
  return renderActionMail({
    to: input.to,
    subject: stakeholder
      ? `${input.agencyName} invited you to follow ${input.brandName} on Caredesk`
      : `You are invited to join ${input.agencyName} on Caredesk`,
    paragraphs: [
      'Hello,',
      stakeholder
        ? `${input.agencyName} runs social customer care for ${input.brandName} and invited you to see its reports on Caredesk.`
        : `${input.agencyName} invited you to join their team on Caredesk as ${input.role.toLowerCase().replace('_', ' ')}.`,
      `The link below works once, until ${input.expiresAt.toUTCString()}.`,
    ],
    actionLabel: 'Accept the invitation',
    actionUrl: input.url,
    footer: 'If you did not expect this invitation, you can ignore this mail.',
  });
}
