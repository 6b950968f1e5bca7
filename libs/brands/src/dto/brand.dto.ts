import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Brand } from '../entities/brand.entity';
import { DayOfWeek, dayOfWeek } from '../settings/day-of-week';

@ObjectType('BusinessHoursWindow')
export class BusinessHoursWindowDto {
  @Field(() => DayOfWeek) day: DayOfWeek;
  @Field() opens: string;
  @Field() closes: string;
}

@ObjectType('Holiday')
export class HolidayDto {
  @Field() date: string;
  @Field(() => String, { nullable: true }) name: string | null;
}

@ObjectType('WhiteLabel', { description: "The brand's look on reports its stakeholders see." })
export class WhiteLabelDto {
  @Field({ description: 'The display name, or the brand name when none is set.' }) displayName: string;
  @Field(() => String, { nullable: true }) logoUrl: string | null;
  @Field(() => String, { nullable: true }) primaryColor: string | null;
}

@ObjectType('Brand', { description: 'A client of the agency.' })
export class BrandDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() slug: string;
  @Field() timezone: string;
  @Field(() => [String]) languages: string[];
  @Field(() => [BusinessHoursWindowDto]) businessHours: BusinessHoursWindowDto[];
  @Field(() => [HolidayDto]) holidays: HolidayDto[];
  @Field(() => WhiteLabelDto) whiteLabel: WhiteLabelDto;
  @Field(() => Int, {
    nullable: true,
    description:
      "The brand's reopen window for DMs in hours; null: the deployment's default (REOPEN_WINDOW_HOURS).",
  })
  reopenWindowHours: number | null;
  @Field(() => Date, { nullable: true }) archivedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(b: Brand): BrandDto {
    return Object.assign(new BrandDto(), {
      id: b.id,
      name: b.name,
      slug: b.slug,
      timezone: b.timezone,
      languages: b.languages,
      businessHours: b.businessHours.map((w) => ({
        day: dayOfWeek(w.day),
        opens: w.opens,
        closes: w.closes,
      })),
      holidays: b.holidays.map((h) => ({ date: h.date, name: h.name ?? null })),
      whiteLabel: { displayName: b.displayName ?? b.name, logoUrl: b.logoUrl, primaryColor: b.primaryColor },
      reopenWindowHours:
        typeof b.settings?.reopenWindowHours === 'number' ? b.settings.reopenWindowHours : null,
      archivedAt: b.archivedAt,
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
    });
  }
}
