import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode, RequestContext, Role } from '@caredesk/core';
import { BrandAccessService } from '@caredesk/brands';
import { ConversationEventDto, ConversationEventType } from './dto/conversation-event.dto';
import { ConversationPresenceDto } from './dto/presence.dto';
import { LiveEvent } from './live-channels';
import { LiveConnection } from './live-connection';
import { LiveHub } from './live-hub';
import { LiveStream } from './live-stream';
import { PresenceService } from './presence.service';

/** One dashboard needs a handful (events + the open conversation's presence); this bounds abuse. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

/**
 * The subscriptions' streams. Each one listens to its agency's channel and lets an event through
 * only if the subscriber may see its brand *now*: the socket's scope is re-read (cached briefly, see
 * LiveConnection.scope), so an agent taken off a brand stops receiving it without reconnecting, and a
 * token that stopped granting access ends the stream with UNAUTHENTICATED.
 */
@Injectable()
export class LiveFeedService {
  constructor(
    private readonly hub: LiveHub,
    private readonly brands: BrandAccessService,
    private readonly presence: PresenceService,
  ) {}

  async conversationEvents(
    ctx: RequestContext,
    socket: LiveConnection | null,
    brandIds?: string[] | null,
  ): Promise<AsyncIterableIterator<ConversationEventDto>> {
    ctx.requireRole(Role.AGENT);
    // An empty list matches nothing, as in the conversations query (a dashboard whose brand filter is
    // cleared subscribes with the same filter); leaving it out means every brand the caller may see.
    if (brandIds?.length) await this.brands.requireVisible(ctx, brandIds);
    const only = brandIds ? new Set(brandIds) : null;

    const accept = (e: LiveEvent) => e.kind !== 'PRESENCE_CHANGED' && (!only || only.has(e.brandId));
    return this.open(ctx, socket, accept, async (e) => {
      if (e.kind === 'PRESENCE_CHANGED') return undefined; // never accepted; narrows the type
      if (!(await this.stillVisible(ctx, socket, e.brandId))) return undefined;
      return {
        type: ConversationEventType[e.kind],
        conversationId: e.conversationId,
        brandId: e.brandId,
        messageId: e.kind === 'CONVERSATION_CHANGED' ? null : e.messageId,
        change: e.kind === 'MESSAGE_CREATED' ? null : e.change,
      };
    });
  }

  /** The current presence first, then the whole list again after every change. */
  async conversationPresence(
    ctx: RequestContext,
    socket: LiveConnection | null,
    conversationId: string,
  ): Promise<AsyncIterableIterator<ConversationPresenceDto>> {
    ctx.requireRole(Role.AGENT);
    const { brandId } = await this.presence.requireConversation(ctx, conversationId, null);
    const accept = (e: LiveEvent) => e.kind === 'PRESENCE_CHANGED' && e.conversationId === conversationId;
    const stream = await this.open(ctx, socket, accept, async () => {
      if (!(await this.stillVisible(ctx, socket, brandId))) return undefined;
      return this.presence.current(ctx.agencyId, conversationId);
    });
    // Read after listening, so a change between the two is sent (twice at worst), never lost.
    stream.sendFirst(await this.presence.current(ctx.agencyId, conversationId));
    return stream;
  }

  private async open<T>(
    ctx: RequestContext,
    socket: LiveConnection | null,
    accept: (e: LiveEvent) => boolean,
    map: (e: LiveEvent) => Promise<T | undefined>,
  ): Promise<LiveStream<LiveEvent, T>> {
    if (!socket) throw AppError.badInput('Subscriptions run over graphql-ws on /graphql');
    if (socket.openStreams >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection: complete one first`,
      );
    }
    socket.openStreams++;
    // The agency's events reach every stream of it; each keeps only what it may send (accept), so an
    // ingest burst of other brands' events never fills a presence or a narrowed stream's buffer.
    const stream = new LiveStream<LiveEvent, T>(map, accept);
    try {
      const unlisten = await this.hub.listen(ctx.agencyId, (e) => stream.push(e));
      stream.onEnded(() => {
        socket.openStreams--;
        unlisten();
      });
    } catch (e) {
      socket.openStreams--;
      throw e;
    }
    return stream;
  }

  private async stillVisible(ctx: RequestContext, socket: LiveConnection | null, brandId: string) {
    const scope = socket ? await socket.scope() : ctx;
    if (!scope || scope.agencyId !== ctx.agencyId) {
      throw AppError.unauthenticated('This token no longer grants access: sign in again and resubscribe');
    }
    return scope.hasRole(Role.AGENT) && scope.canSeeBrand(brandId);
  }
}
