import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { listenOnLoopback, shutDown } from './loopback';

/** One request the fake received, as the platform would see it. */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent (URNs stay percent-encoded). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * A programmed answer that overrides the route's normal one: an error; no answer at all (`hang`);
 * `accept-then-hang` — the platform acts on the request (the route runs) but its answer is lost; or
 * `accept-then-hold` — it acts, and answers only when the test calls `release()` (e.g. after the
 * platform's webhook about what it created was delivered).
 */
export type Failure =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | 'hang'
  | 'accept-then-hang'
  | 'accept-then-hold';

export type Route = (req: RecordedRequest) => {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
};

/**
 * The shared skeleton of the X and LinkedIn fakes: a node:http server on 127.0.0.1 (random port)
 * that records every request and answers either with the route or with the next queued failure.
 */
export class FakePlatformServer {
  readonly requests: RecordedRequest[] = [];
  private readonly failures: Failure[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly held: Array<() => void> = [];
  private server!: Server;
  url = '';

  constructor(private readonly route: Route) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  /** The next `times` requests get this answer instead of the route's. */
  failNext(failure: Failure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  /** Sends the answers held back by `accept-then-hold`. */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  reset(): void {
    this.requests.length = 0;
    this.failures.length = 0;
  }

  stop(): Promise<void> {
    return shutDown(this.server, this.hanging);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep the text */
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
    };
    this.requests.push(recorded);
    const failure = this.failures.shift();
    if (failure === 'accept-then-hold') {
      const answer = this.route(recorded);
      this.hanging.add(res);
      this.held.push(() => {
        this.hanging.delete(res);
        this.respond(res, answer);
      });
      return;
    }
    if (failure === 'accept-then-hang') this.route(recorded);
    if (failure === 'hang' || failure === 'accept-then-hang') {
      this.hanging.add(res);
      return;
    }
    this.respond(res, failure ?? this.route(recorded));
  }

  private respond(res: ServerResponse, answer: ReturnType<Route>): void {
    const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...answer.headers,
    });
    res.end(payload);
  }
}
