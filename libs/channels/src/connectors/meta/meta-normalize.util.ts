/** A non-empty string id (Meta sends ids as strings, some older payloads as numbers). */
export function str(v: unknown): string | null {
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** Unix seconds → Date (Page feed `created_time`). */
export function fromUnix(seconds: unknown): Date | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

/**
 * `entry.time` / messaging `timestamp`: milliseconds on Page and Messenger payloads, seconds on some
 * Instagram change entries. Anything below 1e12 (year 2001 in ms) is read as seconds.
 */
export function fromEpoch(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return new Date(value < 1e12 ? value * 1000 : value);
}

/** A Graph API time ("2017-05-03T16:09:08+0000"); null when absent or unreadable. */
export function fromGraphTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  // Date.parse wants the offset with a colon: +0000 → +00:00.
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(t) ? new Date(t) : null;
}
