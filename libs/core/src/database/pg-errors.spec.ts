import { QueryFailedError } from 'typeorm';
import { isRetryableConflict, isUniqueViolation, sqlState } from './pg-errors';

const pgError = (code: string) => Object.assign(new Error('pg'), { code });

describe('pg errors', () => {
  it('reads the SQLSTATE from pg and from TypeORM’s QueryFailedError', () => {
    expect(sqlState(pgError('40P01'))).toBe('40P01');
    expect(sqlState(new QueryFailedError('SELECT 1', [], pgError('40001')))).toBe('40001');
    expect(sqlState(new Error('no code'))).toBeUndefined();
    expect(sqlState(undefined)).toBeUndefined();
  });

  it('retries deadlocks and serialization failures only', () => {
    expect(isRetryableConflict(new QueryFailedError('UPDATE', [], pgError('40P01')))).toBe(true);
    expect(isRetryableConflict(pgError('40001'))).toBe(true);
    for (const code of ['23505', '57014', '08006', '40002'])
      expect(isRetryableConflict(pgError(code))).toBe(false);
    expect(isRetryableConflict(new Error('boom'))).toBe(false);
  });

  it('tells a unique violation, of a named constraint when asked', () => {
    const violation = Object.assign(pgError('23505'), { constraint: 'brands_slug_key' });
    expect(isUniqueViolation(violation)).toBe(true);
    expect(isUniqueViolation(new QueryFailedError('INSERT', [], violation), 'brands_slug_key')).toBe(true);
    expect(isUniqueViolation(violation, 'other_key')).toBe(false);
    expect(isUniqueViolation(pgError('23503'))).toBe(false);
  });
});
