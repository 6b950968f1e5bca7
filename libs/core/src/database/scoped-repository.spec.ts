import { EntityManager } from 'typeorm';
import { ScopedRepository } from './scoped-repository';

class Thing {
  agencyId: string;
  id: string;
}

describe('ScopedRepository', () => {
  const calls: unknown[] = [];
  const manager = {
    findBy: (_e: unknown, where: unknown) => {
      calls.push(where);
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;

  it('refuses an empty or malformed tenant id', () => {
    expect(() => new ScopedRepository(manager, Thing, '')).toThrow(/tenant id/);
    expect(() => new ScopedRepository(manager, Thing, undefined as unknown as string)).toThrow(/tenant id/);
    expect(() => new ScopedRepository(manager, Thing, 'not-a-uuid')).toThrow(/tenant id/);
  });

  it('adds the agency to every where and refuses undefined values that TypeORM would drop', async () => {
    const agencyId = '11111111-1111-4111-8111-111111111111';
    const repo = new ScopedRepository(manager, Thing, agencyId);
    await repo.findBy({ id: 'x' });
    await repo.findBy([{ id: 'y' }, { id: 'z' }]);
    expect(calls).toEqual([
      { id: 'x', agencyId },
      [
        { id: 'y', agencyId },
        { id: 'z', agencyId },
      ],
    ]);
    expect(() => repo.findBy({ id: undefined })).toThrow(/undefined "id"/);
  });
});
