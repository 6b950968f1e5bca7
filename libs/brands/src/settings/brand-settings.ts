import { AppError } from '@caredesk/core';
import { BusinessHoursWindow, Holiday } from '../entities/brand.entity';
import { DayOfWeek, isoWeekday } from './day-of-week';

/**
 * Pure validation and normalisation of a brand's settings. Each failure names the offending field
 * (`extensions.field`), so a form can point at it; the service calls these before anything is written.
 */

export const MAX_LANGUAGES = 30;
export const MAX_WINDOWS = 70;
export const MAX_HOLIDAYS = 400;
export const MAX_URL_LENGTH = 2048;
/** A year: a DM resolved longer ago than that starts a new conversation whatever the brand says. */
export const MAX_REOPEN_WINDOW_HOURS = 8760;

let zones: Set<string> | undefined;

/** IANA zone names as this runtime's ICU knows them, plus 'UTC' (which ICU lists as "Etc/UTC" only). */
export function normalizeTimezone(value: string): string {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  const tz = value.trim();
  if (!zones.has(tz)) throw AppError.badInput(`"${truncate(tz)}" is not an IANA timezone`, 'timezone');
  return tz;
}

/** BCP-47 tags in canonical form (`en-us` → `en-US`); at least one, no duplicates after canonicalising. */
export function normalizeLanguages(values: readonly string[]): string[] {
  if (values.length === 0) throw AppError.badInput('At least one language is required', 'languages');
  if (values.length > MAX_LANGUAGES)
    throw AppError.badInput(`At most ${MAX_LANGUAGES} languages`, 'languages');
  const canonical = values.map((tag) => {
    try {
      const [c] = Intl.getCanonicalLocales(tag.trim());
      if (!c) throw new RangeError('empty');
      return c;
    } catch {
      throw AppError.badInput(`"${truncate(tag)}" is not a BCP-47 language tag`, 'languages');
    }
  });
  if (new Set(canonical).size !== canonical.length) throw AppError.badInput('Languages repeat', 'languages');
  return canonical;
}

export interface BusinessHoursWindowValue {
  day: DayOfWeek;
  opens: string;
  closes: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * Weekly windows in the brand's timezone. Several per day are allowed (split shifts) but may not
 * overlap; windows that merely touch (09:00–12:00, 12:00–17:00) are fine. "24:00" closes at midnight.
 * Returned sorted by day and opening time.
 */
export function normalizeBusinessHours(values: readonly BusinessHoursWindowValue[]): BusinessHoursWindow[] {
  const field = 'businessHours';
  if (values.length > MAX_WINDOWS) throw AppError.badInput(`At most ${MAX_WINDOWS} windows`, field);
  const windows = values.map((w) => {
    if (!Object.values(DayOfWeek).includes(w.day)) throw AppError.badInput('Unknown day of week', field);
    if (!TIME.test(w.opens)) throw AppError.badInput(`opens "${truncate(w.opens)}" is not HH:MM`, field);
    if (!TIME.test(w.closes) && w.closes !== '24:00') {
      throw AppError.badInput(`closes "${truncate(w.closes)}" is not HH:MM`, field);
    }
    if (minutes(w.opens) >= minutes(w.closes)) {
      throw AppError.badInput(`${w.day}: ${w.opens} must be before ${w.closes}`, field);
    }
    return { day: isoWeekday(w.day), opens: w.opens, closes: w.closes };
  });
  windows.sort((a, b) => a.day - b.day || minutes(a.opens) - minutes(b.opens));
  for (let i = 1; i < windows.length; i++) {
    const prev = windows[i - 1];
    const cur = windows[i];
    if (prev.day === cur.day && minutes(cur.opens) < minutes(prev.closes)) {
      throw AppError.badInput(
        `Windows overlap on day ${cur.day}: ${prev.opens}–${prev.closes} and ${cur.opens}–${cur.closes}`,
        field,
      );
    }
  }
  return windows;
}

export interface HolidayValue {
  date: string;
  name?: string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date: "2025-02-30" is rejected, "2024-02-29" accepted. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Holidays (dates in the brand's timezone), no date twice, sorted by date. */
export function normalizeHolidays(values: readonly HolidayValue[]): Holiday[] {
  const field = 'holidays';
  if (values.length > MAX_HOLIDAYS) throw AppError.badInput(`At most ${MAX_HOLIDAYS} holidays`, field);
  const holidays = values.map((h) => {
    if (!isCalendarDate(h.date))
      throw AppError.badInput(`"${truncate(h.date)}" is not a YYYY-MM-DD date`, field);
    const name = h.name?.trim() || null;
    return { date: h.date, name };
  });
  if (new Set(holidays.map((h) => h.date)).size !== holidays.length) {
    throw AppError.badInput('A date is listed twice', field);
  }
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

/** Logos are shown in white-labelled reports and e-mails: https only, so no mixed content or file: URLs. */
export function normalizeLogoUrl(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const raw = value.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw AppError.badInput('logoUrl is not a URL', 'logoUrl');
  }
  if (url.protocol !== 'https:' || !url.hostname)
    throw AppError.badInput('logoUrl must be an https URL', 'logoUrl');
  if (url.username || url.password) throw AppError.badInput('logoUrl must not carry credentials', 'logoUrl');
  if (raw.length > MAX_URL_LENGTH)
    throw AppError.badInput(`logoUrl is longer than ${MAX_URL_LENGTH}`, 'logoUrl');
  return raw;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** "#RRGGBB", stored in lower case so equal colours compare equal. */
export function normalizeColor(value: string | null): string | null {
  if (value === null) return null;
  if (!COLOR.test(value)) throw AppError.badInput('primaryColor must look like #RRGGBB', 'primaryColor');
  return value.toLowerCase();
}

/** Trimmed, non-blank text of at most `max` characters. */
export function requireText(value: string, field: string, max = 200): string {
  const text = value.trim();
  if (!text) throw AppError.badInput(`${field} must not be blank`, field);
  if (text.length > max) throw AppError.badInput(`${field} is longer than ${max}`, field);
  return text;
}

/** Optional text: blank clears it. */
export function optionalText(value: string | null, field: string, max = 200): string | null {
  if (value === null || value.trim() === '') return null;
  return requireText(value, field, max);
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The brand's reopen window for DMs (kept in brands.settings, read by ingest); null: the default. */
export function normalizeReopenWindowHours(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_REOPEN_WINDOW_HOURS)
    throw AppError.badInput(
      `reopenWindowHours must be a whole number of hours from 0 to ${MAX_REOPEN_WINDOW_HOURS}`,
      'reopenWindowHours',
    );
  return value;
}
