import { MetaGraphClient } from './meta-graph.client';

/** One page of a Graph API edge (cursor-based pagination, Graph API "Paginated Results"). */
export interface GraphPage<T> {
  data?: T[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** How many items one page asks for, and how many pages a read-back reads at most. */
export const PAGE_LIMIT = 100;
export const MAX_PAGES = 10;

/**
 * Every item of a Graph API edge, page after page, up to `maxPages` pages of PAGE_LIMIT (1,000
 * items): "cursor-based pagination … `after`: This is the cursor that points to the end of the page
 * of data that has been returned"; "`next`: The Graph API endpoint that will return the next page of
 * data. If not included, this is the last page of data" (Graph API, "Paginated Results"). The next
 * page is asked for with the `after` cursor on the same path rather than by fetching `next` itself:
 * only the configured Graph API host is ever called, with our own parameters. Throws what the Graph
 * API answers.
 */
export async function readAllPages<T>(
  graph: MetaGraphClient,
  path: string,
  token: string,
  query: Record<string, string>,
  maxPages = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await graph.call<GraphPage<T>>('GET', path, token, undefined, {
      ...query,
      limit: String(PAGE_LIMIT),
      ...(after ? { after } : {}),
    });
    items.push(...(res.data ?? []));
    after = res.paging?.cursors?.after;
    if (!res.paging?.next || !after || !res.data?.length) break;
  }
  return items;
}
