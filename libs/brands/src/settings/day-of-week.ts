import { registerEnumType } from '@nestjs/graphql';

/** Weekdays in ISO order; stored as ISO numbers (1 = Monday … 7 = Sunday) in `brands.business_hours`. */
export enum DayOfWeek {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

registerEnumType(DayOfWeek, { name: 'DayOfWeek' });

const ORDER = Object.values(DayOfWeek);

export function isoWeekday(day: DayOfWeek): number {
  return ORDER.indexOf(day) + 1;
}

export function dayOfWeek(iso: number): DayOfWeek {
  return ORDER[iso - 1];
}
