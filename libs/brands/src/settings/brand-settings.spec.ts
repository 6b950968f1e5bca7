import { AppError } from '@caredesk/core';
import {
  isCalendarDate,
  normalizeBusinessHours,
  normalizeColor,
  normalizeHolidays,
  normalizeLanguages,
  normalizeLogoUrl,
  normalizeTimezone,
} from './brand-settings';
import { DayOfWeek } from './day-of-week';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'BAD_USER_INPUT') return e.details?.field as string;
    throw e;
  }
  throw new Error('expected a BAD_USER_INPUT');
}

const w = (day: DayOfWeek, opens: string, closes: string) => ({ day, opens, closes });

describe('brand settings', () => {
  it('accepts IANA zones and UTC, rejects the rest', () => {
    expect(normalizeTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(normalizeTimezone('UTC')).toBe('UTC');
    expect(fieldOf(() => normalizeTimezone('Mars/Olympus'))).toBe('timezone');
    expect(fieldOf(() => normalizeTimezone('CEST+2'))).toBe('timezone');
  });

  it('canonicalises BCP-47 tags and rejects empty, malformed and repeated ones', () => {
    expect(normalizeLanguages(['EN-us', 'zh-hant-tw', 'de'])).toEqual(['en-US', 'zh-Hant-TW', 'de']);
    expect(fieldOf(() => normalizeLanguages([]))).toBe('languages');
    expect(fieldOf(() => normalizeLanguages(['en_US']))).toBe('languages');
    expect(fieldOf(() => normalizeLanguages(['']))).toBe('languages');
    expect(fieldOf(() => normalizeLanguages(['en-us', 'EN-US']))).toBe('languages');
  });

  it('sorts windows, allows several per day, touching windows and 24:00', () => {
    expect(
      normalizeBusinessHours([
        w(DayOfWeek.TUESDAY, '12:00', '24:00'),
        w(DayOfWeek.MONDAY, '09:00', '17:00'),
        w(DayOfWeek.TUESDAY, '00:00', '12:00'),
      ]),
    ).toEqual([
      { day: 1, opens: '09:00', closes: '17:00' },
      { day: 2, opens: '00:00', closes: '12:00' },
      { day: 2, opens: '12:00', closes: '24:00' },
    ]);
  });

  it('rejects overlapping, reversed, empty and malformed windows', () => {
    const overlapping = [w(DayOfWeek.MONDAY, '09:00', '13:00'), w(DayOfWeek.MONDAY, '12:00', '17:00')];
    expect(fieldOf(() => normalizeBusinessHours(overlapping))).toBe('businessHours');
    const nested = [w(DayOfWeek.MONDAY, '08:00', '18:00'), w(DayOfWeek.MONDAY, '10:00', '11:00')];
    expect(fieldOf(() => normalizeBusinessHours(nested))).toBe('businessHours');
    for (const [opens, closes] of [
      ['17:00', '09:00'],
      ['09:00', '09:00'],
      ['24:00', '24:00'],
      ['9:00', '17:00'],
      ['09:00', '24:01'],
      ['09:60', '10:00'],
    ]) {
      expect(fieldOf(() => normalizeBusinessHours([w(DayOfWeek.MONDAY, opens, closes)]))).toBe(
        'businessHours',
      );
    }
    expect(
      fieldOf(() =>
        normalizeBusinessHours([{ day: 'FUNDAY' as DayOfWeek, opens: '09:00', closes: '10:00' }]),
      ),
    ).toBe('businessHours');
  });

  it('accepts real calendar dates only, once each', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
    expect(normalizeHolidays([{ date: '2025-12-26' }, { date: '2025-12-25', name: ' Xmas ' }])).toEqual([
      { date: '2025-12-25', name: 'Xmas' },
      { date: '2025-12-26', name: null },
    ]);
    expect(fieldOf(() => normalizeHolidays([{ date: '2025-12-25' }, { date: '2025-12-25' }]))).toBe(
      'holidays',
    );
  });

  it('accepts https logo URLs and #RRGGBB colours only', () => {
    expect(normalizeLogoUrl('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(normalizeLogoUrl(null)).toBeNull();
    for (const bad of [
      'http://example.com/a.png',
      'javascript:alert(1)',
      'not a url',
      'https://u:p@example.com/',
    ]) {
      expect(fieldOf(() => normalizeLogoUrl(bad))).toBe('logoUrl');
    }
    expect(fieldOf(() => normalizeLogoUrl(`https://example.com/${'a'.repeat(2048)}`))).toBe('logoUrl');
    expect(normalizeColor('#A1b2C3')).toBe('#a1b2c3');
    for (const bad of ['red', '#abc', '#abcdeg', 'a1b2c3'])
      expect(fieldOf(() => normalizeColor(bad))).toBe('primaryColor');
  });
});
