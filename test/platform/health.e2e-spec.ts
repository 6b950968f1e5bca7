import { freePort } from '../support/ports';
import { startTestApp, TestApp } from '../support/test-app';

describe('/health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports the database and Redis up', async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.status).toBe('ok');
    expect(body.info.database.status).toBe('up');
    expect(body.info.redis.status).toBe('up');
  });
});

describe('/health with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => t.close());

  it('answers 503 naming redis as down and the database as up', async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.status).toBe(503);
    const body: any = await res.json();
    expect(body.status).toBe('error');
    expect(body.error.redis.status).toBe('down');
    expect(body.info.database.status).toBe('up');
  });
});
