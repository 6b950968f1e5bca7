import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  MailService,
  renderActionMail,
  RequestContext,
  Role,
  TenantDb,
  TenantTx,
  USER_ACTION_RETRIES,
} from '@caredesk/core';
import { lockVisible } from '../conversations/conversation-access';
import { membersWhoCanSee } from '../conversations/member-directory';
import { AddNoteInput } from '../conversations/dto/conversation-actions.input';
import { LiveEvents } from '../live/live-events';
import { mentionMatches, parseMentions } from './mentions';
import { NoteDto } from './note.dto';

interface NoteRow {
  id: string;
  conversation_id: string;
  body: string;
  created_at: Date;
  author_user_id: string | null;
  author_name: string | null;
  author_email: string | null;
  mentions: Array<{ id: string; name: string; email: string }>;
}

/** Internal notes, with @mentions (see mentions.ts) that mail the members mentioned. */
@Injectable()
export class NoteService {
  constructor(
    private readonly db: TenantDb,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async add(ctx: RequestContext, input: AddNoteInput): Promise<NoteDto> {
    ctx.requireRole(Role.AGENT);
    const body = (input.body ?? '').trim();
    if (!body) throw AppError.badInput('Write something', 'body');
    return this.db.run(
      ctx,
      async (tx) => {
        const [conversation] = await lockVisible(ctx, tx, [input.conversationId]);
        // Only members who can see the brand are mentioned: a mail must not reveal a conversation to
        // someone who could not open it. Unknown handles stay plain text.
        const handles = parseMentions(body);
        const mentioned = handles.length
          ? (await membersWhoCanSee(tx, [conversation.brandId], null)).filter((m) =>
              handles.some((h) => mentionMatches(h, m.email)),
            )
          : [];
        const id = randomUUID();
        await tx.query(
          `INSERT INTO notes (agency_id, id, brand_id, conversation_id, author_user_id, body, mentions)
         VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[])`,
          [
            ctx.agencyId,
            id,
            conversation.brandId,
            conversation.id,
            ctx.userId,
            body,
            mentioned.map((m) => m.userId),
          ],
        );
        await this.audit.record(ctx, {
          action: 'conversation.note_add',
          entityType: 'conversation',
          entityId: conversation.id,
          brandId: conversation.brandId,
          changes: { noteId: id, mentions: mentioned.map((m) => m.userId) },
        });
        const [note] = await loadNotes(tx, conversation.id, id);
        tx.afterCommit(async () => {
          await this.live.conversationChanged(ctx.agencyId, {
            brandId: conversation.brandId,
            conversationId: conversation.id,
            change: 'NOTE_ADDED',
          });
          for (const m of mentioned) {
            if (m.userId === ctx.userId) continue;
            await this.mail.enqueue(this.mentionMail(m.email, note, conversation.id));
          }
        });
        return note;
      },
      USER_ACTION_RETRIES,
    );
  }

  async list(ctx: RequestContext, conversationId: string): Promise<NoteDto[]> {
    return this.db.run(ctx, (tx) => loadNotes(tx, conversationId));
  }

  private mentionMail(to: string, note: NoteDto, conversationId: string) {
    const who = note.author?.name ?? 'A colleague';
    return renderActionMail({
      to,
      subject: `${who} mentioned you in a note`,
      paragraphs: [`${who} mentioned you in an internal note:`, note.body],
      actionLabel: 'Open the conversation',
      actionUrl: `${this.config.appUrl}/inbox/conversations/${conversationId}`,
    });
  }
}

/** Notes of a conversation, oldest first, with authors and mentioned members: one statement. */
async function loadNotes(tx: TenantTx, conversationId: string, noteId?: string): Promise<NoteDto[]> {
  const rows = await tx.query<NoteRow>(
    `SELECT n.id, n.conversation_id, n.body, n.created_at, n.author_user_id,
            a.name AS author_name, a.email AS author_email,
            (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email)
                      ORDER BY array_position(n.mentions, u.id)), '[]')
               FROM users u WHERE u.id = ANY(n.mentions)) AS mentions
       FROM notes n LEFT JOIN users a ON a.id = n.author_user_id
      WHERE n.agency_id = $1 AND n.conversation_id = $2 AND ($3::uuid IS NULL OR n.id = $3::uuid)
      ORDER BY n.created_at, n.id`,
    [tx.agencyId, conversationId, noteId ?? null],
  );
  return rows.map((r) =>
    Object.assign(new NoteDto(), {
      id: r.id,
      conversationId: r.conversation_id,
      body: r.body,
      createdAt: r.created_at,
      author: r.author_user_id
        ? { id: r.author_user_id, name: r.author_name ?? '', email: r.author_email ?? '' }
        : null,
      mentions: r.mentions,
    }),
  );
}
