import { registerEnumType } from '@nestjs/graphql';
import { Severity, StyleRuleKind } from '../engine/style-check.types';
import { EmojiMode } from '../engine/style-rules';

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

export { EmojiMode, Severity, StyleRuleKind };
