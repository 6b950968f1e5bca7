import { applyDecorators } from '@nestjs/common';
import { Field } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TAG_LENGTH, MAX_TAGS } from './fields';

/** An optional `tags` input field: at most MAX_TAGS strings of at most MAX_TAG_LENGTH characters each. */
export function TagsField(description?: string): PropertyDecorator {
  return applyDecorators(
    Field(() => [String], { nullable: true, ...(description ? { description } : {}) }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_TAGS),
    IsString({ each: true }),
    MaxLength(MAX_TAG_LENGTH, { each: true }),
  );
}
