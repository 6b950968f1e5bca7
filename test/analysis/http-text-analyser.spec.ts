import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { analysisMetrics, HttpTextAnalyser, LocalTextAnalyser, TextAnalysisItem } from '@caredesk/analysis';
import { listenOnLoopback, shutDown } from '../fakes/loopback';
import { freePort } from '../support/ports';

type Mode = 'ok' | 'hang' | 'stall-body' | 'http-500' | 'not-json' | 'wrong-count' | 'one-bad';

/** A model service on loopback whose behaviour each test picks; it records the batches it received. */
class FakeModelService {
  mode: Mode = 'ok';
  readonly received: Array<{ items: TextAnalysisItem[] }> = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    this.url = `${await listenOnLoopback(this.server)}/analyse`;
  }

  stop(): Promise<void> {
    return shutDown(this.server, this.hanging);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { items: TextAnalysisItem[] };
      this.received.push(body);
      // The fake "model" answers Swedish and a fixed positive score, so a test can tell its answers
      // from the local analyser's.
      const results = body.items.map(() => ({
        language: 'sv-SE',
        sentiment: { score: 0.9, label: 'POSITIVE' },
      }));
      switch (this.mode) {
        case 'hang':
          this.hanging.add(res);
          return;
        case 'stall-body':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"results": [');
          this.hanging.add(res);
          return;
        case 'http-500':
          res.writeHead(500).end('model overloaded');
          return;
        case 'not-json':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
          return;
        case 'wrong-count':
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ results: results.slice(1) }));
          return;
        case 'one-bad':
          (results as unknown[])[1] = { language: 42, sentiment: { score: 'high' } };
          break;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
    });
  }
}

const batch: TextAnalysisItem[] = [
  { text: 'Elendig kundeservice, ingen svarer på telefonen 😡', languageHints: ['nb-NO'] },
  { text: 'Dziękuję za szybką pomoc! Jesteście najlepsi 😊' },
  { text: 'ok' },
];

async function fallbacks(reason: string): Promise<number> {
  const metric = await analysisMetrics.fallbacks.get();
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('HttpTextAnalyser (real HTTP on 127.0.0.1)', () => {
  const service = new FakeModelService();
  const local = new LocalTextAnalyser();
  let analyser: HttpTextAnalyser;

  beforeAll(async () => {
    await service.start();
    analyser = new HttpTextAnalyser({ url: service.url, timeoutMs: 300 }, local);
  });
  afterAll(() => service.stop());
  beforeEach(() => {
    service.mode = 'ok';
    service.received.length = 0;
  });

  it("posts the batch in one request and returns the service's answers, codes normalised", async () => {
    const out = await analyser.analyse(batch);
    expect(service.received).toEqual([
      {
        items: [
          { text: batch[0].text, languageHints: ['nb-NO'] },
          { text: batch[1].text, languageHints: [] },
          { text: 'ok', languageHints: [] },
        ],
      },
    ]);
    expect(out).toEqual(batch.map(() => ({ language: 'sv', sentiment: { score: 0.9, label: 'POSITIVE' } })));
  });

  it('sends nothing for an empty batch', async () => {
    expect(await analyser.analyse([])).toEqual([]);
    expect(service.received).toHaveLength(0);
  });

  it.each<[Mode, string]>([
    ['hang', 'timeout'],
    ['stall-body', 'timeout'],
    ['http-500', 'http'],
    ['not-json', 'invalid'],
    ['wrong-count', 'invalid'],
  ])('service %s → the whole batch is analysed locally and counted as %s', async (mode, reason) => {
    service.mode = mode;
    const before = await fallbacks(reason);
    // A hanging service never answers: getting a result at all is the deadline at work.
    const out = await analyser.analyse(batch);
    expect(out).toEqual(await local.analyse(batch));
    expect(out[0]).toMatchObject({ language: 'no', sentiment: { label: 'NEGATIVE' } });
    expect(await fallbacks(reason)).toBe(before + batch.length);
  });

  it('falls back for a malformed result only, keeping the good ones', async () => {
    service.mode = 'one-bad';
    const before = await fallbacks('invalid');
    const out = await analyser.analyse(batch);
    expect(out[0]).toEqual({ language: 'sv', sentiment: { score: 0.9, label: 'POSITIVE' } });
    expect(out[1]).toEqual((await local.analyse([batch[1]]))[0]);
    expect(out[2]).toEqual({ language: 'sv', sentiment: { score: 0.9, label: 'POSITIVE' } });
    expect(await fallbacks('invalid')).toBe(before + 1);
  });

  it('falls back when nothing listens on the port', async () => {
    const closed = new HttpTextAnalyser(
      { url: `http://127.0.0.1:${await freePort()}/analyse`, timeoutMs: 300 },
      local,
    );
    const before = await fallbacks('network');
    expect(await closed.analyse(batch)).toEqual(await local.analyse(batch));
    expect(await fallbacks('network')).toBe(before + batch.length);
  });
});
