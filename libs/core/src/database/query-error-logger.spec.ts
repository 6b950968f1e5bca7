import { Logger } from '@nestjs/common';
import { QueryErrorLogger } from './query-error-logger';

describe('QueryErrorLogger', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('logs a failed statement with its SQLSTATE and constraint, never its parameters', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "x_key"'), {
      code: '23505',
      constraint: 'x_key',
    });
    new QueryErrorLogger().logQueryError(
      error,
      `INSERT INTO contacts (agency_id, email)\n     VALUES ($1, $2)`,
      ['agency', 'jane.doe@example.com'],
    );
    expect(warn).toHaveBeenCalledTimes(1);
    const line = warn.mock.calls[0][0] as string;
    expect(line).toBe(
      'statement failed (SQLSTATE 23505, constraint x_key): duplicate key value violates unique constraint "x_key"' +
        ' — INSERT INTO contacts (agency_id, email) VALUES ($1, $2), 2 parameter(s) not shown',
    );
    expect(line).not.toContain('jane.doe');
  });

  it('cuts a long statement (a bulk VALUES list) to 500 characters', () => {
    const query = `INSERT INTO t VALUES ${Array.from({ length: 1000 }, (_, i) => `($${i + 1})`).join(', ')}`;
    new QueryErrorLogger().logQueryError('permission denied for table t', query);
    const line = warn.mock.calls[0][0] as string;
    expect(line).toMatch(/^statement failed: permission denied for table t — INSERT INTO t VALUES \(\$1\)/);
    expect(line.length).toBeLessThan(600);
    expect(line.endsWith('…')).toBe(true);
  });
});
