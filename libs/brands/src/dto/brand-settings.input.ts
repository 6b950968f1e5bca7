import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { DayOfWeek } from '../settings/day-of-week';

@InputType()
export class BusinessHoursWindowInput {
  @Field(() => DayOfWeek) @IsEnum(DayOfWeek) day: DayOfWeek;
  @Field({ description: '"HH:MM", 24-hour, in the brand timezone.' }) @IsString() @MaxLength(5) opens: string;
  @Field({ description: '"HH:MM", after opens; "24:00" closes at midnight.' })
  @IsString()
  @MaxLength(5)
  closes: string;
}

@InputType()
export class HolidayInput {
  @Field({ description: '"YYYY-MM-DD" in the brand timezone.' }) @IsString() @MaxLength(10) date: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string | null;
}
