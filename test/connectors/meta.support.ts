import { ConnectorError, OutboundRequest } from '@caredesk/channels';
import { MetaConnector } from '../../libs/channels/src/connectors/meta/meta.connector';
import { META_TEST_APP_SECRET, META_TEST_VERIFY_TOKEN } from '../fakes/meta-webhook';

export const META_PAGE_ID = '105889502211234';
export const META_IG_ID = '17841400000000001';

/** The connector as the module builds it, pointed at `apiUrl` (a FakeMetaGraph in send tests). */
export function metaConnector(apiUrl = 'http://127.0.0.1:1/v21.0', timeoutMs = 2000): MetaConnector {
  return new MetaConnector({
    appSecret: META_TEST_APP_SECRET,
    verifyToken: META_TEST_VERIFY_TOKEN,
    apiUrl,
    timeoutMs,
  });
}

export function outbound(
  partial: Partial<OutboundRequest> & { target: Record<string, string> },
): OutboundRequest {
  return {
    action: 'REPLY',
    externalAccountId: META_PAGE_ID,
    credentials: { accessToken: 'EAAGpagetoken', extra: {} },
    body: 'Thanks, we are on it!',
    idempotencyKey: 'ob-1',
    ...partial,
  };
}

/** Awaits `p` and returns the ConnectorError it rejected with (fails if it resolved or threw something else). */
export async function connectorError(p: Promise<unknown>): Promise<ConnectorError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(e)}`);
  return e;
}
