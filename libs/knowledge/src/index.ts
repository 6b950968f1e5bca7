export * from './entities/canned-reply.entity';
export * from './entities/knowledge-entry.entity';
export * from './templates/template';
export * from './canned-replies/canned-reply.service';
export * from './canned-replies/canned-reply-render.service';
export * from './knowledge-entries/knowledge-entry.service';
export * from './suggestions/suggestion.service';
export * from './knowledge.module';
