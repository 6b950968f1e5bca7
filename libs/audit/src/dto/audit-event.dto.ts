import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-type-json';
import { Connection } from '@caredesk/core';
import { AuditEvent } from '../audit-event.entity';

@ObjectType('AuditActor')
export class AuditActorDto {
  @Field(() => ID, { nullable: true }) userId: string | null;
  @Field(() => ID, { nullable: true }) apiKeyId: string | null;
  @Field({ description: 'Who acted, as recorded at the time (survives the user leaving).' }) label: string;
}

@ObjectType('AuditEvent')
export class AuditEventDto {
  @Field(() => ID) id: string;
  @Field({ description: '`<entity>.<verb>`, e.g. brand.create.' }) action: string;
  @Field() entityType: string;
  @Field(() => String, { nullable: true }) entityId: string | null;
  @Field(() => ID, { nullable: true }) brandId: string | null;
  @Field(() => AuditActorDto) actor: AuditActorDto;
  @Field(() => GraphQLJSONObject, { description: 'The changed fields; never secrets.' })
  changes: Record<string, unknown>;
  @Field(() => String, { nullable: true }) ip: string | null;
  @Field() createdAt: Date;

  static from(e: AuditEvent): AuditEventDto {
    return Object.assign(new AuditEventDto(), {
      id: e.id,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      brandId: e.brandId,
      actor: { userId: e.actorUserId, apiKeyId: e.actorApiKeyId, label: e.actorLabel },
      changes: e.changes,
      ip: e.ip,
      createdAt: e.createdAt,
    });
  }
}

export const AuditEventConnection = Connection(AuditEventDto, 'AuditEvent');
export type AuditEventConnection = InstanceType<typeof AuditEventConnection>;
