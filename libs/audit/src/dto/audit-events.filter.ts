import { Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** Every condition is optional; given ones are combined with AND. */
@InputType()
export class AuditEventsFilter {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) entityType?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) entityId?: string;
  // Any string: an id the caller cannot see answers NOT_FOUND, like a missing one.
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(64) brandId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() actorUserId?: string;
  @Field({ nullable: true, description: 'Inclusive.' }) @IsOptional() @IsDate() from?: Date;
  @Field({ nullable: true, description: 'Exclusive.' }) @IsOptional() @IsDate() to?: Date;
}
