/** A small GraphQL-over-HTTP client for end-to-end tests: real HTTP, real JSON. */
export interface GqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [k: string]: unknown } }>;
}

export class GqlClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  /** The same server, as someone else (or anonymous with no token). */
  as(token?: string): GqlClient {
    return new GqlClient(this.baseUrl, token);
  }

  async request<T = any>(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>> {
    const { status, body } = await this.raw(query, variables);
    return { status, data: body.data, errors: body.errors };
  }

  /** The HTTP status and the whole JSON body as the server sent it (errors with path and locations). */
  async raw(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: text }] };
    }
    return { status: res.status, body };
  }

  /** Runs an operation that must succeed; throws with the errors otherwise. */
  async ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const r = await this.request<T>(query, variables);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  /** Runs an operation that must fail; returns the first error's code. */
  async code(query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
    const r = await this.request(query, variables);
    if (!r.errors?.length) throw new Error(`Expected an error, got ${JSON.stringify(r.data)}`);
    return r.errors[0].extensions?.code;
  }
}
