import { registerEnumType } from '@nestjs/graphql';
import { Severity, StyleRuleKind } from '../engine/style-check.types';
import { EmojiMode, LengthScope } from '../engine/style-rules';

registerEnumType(Severity, {
  name: 'StyleSeverity',
  description: 'BLOCK stops a reply unless a MANAGER overrides it with a reason; WARN never blocks.',
});
registerEnumType(StyleRuleKind, {
  name: 'StyleRuleKind',
  description: 'The style guide rule a violation breaks.',
});
registerEnumType(EmojiMode, {
  name: 'EmojiMode',
  description:
    'NONE: no emoji; ALLOWED: any number; MAX: at most `max` (a ZWJ sequence, a flag or a keycap is one).',
});

registerEnumType(LengthScope, {
  name: 'LengthScope',
  description:
    'Where a reply goes, for its length limit: PUBLIC (comment, reply to a post or tweet, review reply) or ' +
    'PRIVATE (direct message, email).',
});

export { EmojiMode, LengthScope, Severity, StyleRuleKind };
