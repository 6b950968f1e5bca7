/**
 * `awaiting_reply_since` recomputed from the messages of conversation `c`: the first customer message
 * written after the brand's last message (a reply that failed to send answers nothing), or NULL when the brand wrote last (or nobody wrote). Used
 * where a conversation starts waiting again without a new message (a reopen, "no reply needed"
 * cleared); ingest and replies keep the column up to date incrementally. Two index range reads on
 * messages_conversation_written_idx.
 */
export const FIRST_UNANSWERED_SQL = `(
  SELECT min(m.written_at) FROM messages m
   WHERE m.agency_id = c.agency_id AND m.conversation_id = c.id AND m.direction = 'INBOUND'
     AND m.written_at > COALESCE(
       (SELECT max(o.written_at) FROM messages o
         WHERE o.agency_id = c.agency_id AND o.conversation_id = c.id AND o.direction = 'OUTBOUND'
           AND o.status <> 'FAILED'),
       '-infinity'))`;
