import DataLoader from 'dataloader';
import { RequestContext } from '../context/request-context';

/**
 * A DataLoader per HTTP request, so a field resolved for every node of a response is computed in one
 * batch (`batch` gets all keys asked for in that tick). Kept in a WeakMap keyed by the request object:
 * the cache dies with the request and is never shared between callers (a global cache would leak one
 * agency's answers to another and serve stale ones).
 */
export class PerRequestLoader<V> {
  private readonly perRequest = new WeakMap<object, DataLoader<string, V>>();

  constructor(private readonly batch: (ctx: RequestContext, keys: readonly string[]) => Promise<V[]>) {}

  load(request: object, ctx: RequestContext, key: string): Promise<V> {
    let loader = this.perRequest.get(request);
    if (!loader) {
      loader = new DataLoader((keys: readonly string[]) => this.batch(ctx, keys));
      this.perRequest.set(request, loader);
    }
    return loader.load(key);
  }
}
