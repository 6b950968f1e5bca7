import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '@caredesk/core';
import { ApiKey } from '../api-key.entity';

@ObjectType('ApiKey')
export class ApiKeyDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Role) role: Role;
  @Field(() => [ID], { nullable: true, description: 'Brands the key may see; null means all.' })
  brandIds: string[] | null;
  @Field({ description: 'The start of the key, to tell keys apart; the rest is never shown again.' })
  keyPrefix: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute.' })
  lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;

  static from(k: ApiKey, brandIds: string[] | null): ApiKeyDto {
    return Object.assign(new ApiKeyDto(), {
      id: k.id,
      name: k.name,
      role: k.role,
      brandIds,
      keyPrefix: k.keyPrefix,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
    });
  }
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyDto {
  @Field(() => ApiKeyDto) apiKey: ApiKeyDto;
  @Field({ description: 'The key itself, for `Authorization: Bearer …`. Shown only this once.' })
  secret: string;
}
