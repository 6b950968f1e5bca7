import { registeredCounter } from '@caredesk/core';

/** What the attachment content collector deleted, served by the worker's /metrics. */
export const attachmentContentMetrics = {
  deleted: registeredCounter(
    'caredesk_attachment_contents_deleted_total',
    'Kept attachment contents deleted because no message and no unfinished inbound event names them.',
    [],
  ),
  deletedBytes: registeredCounter(
    'caredesk_attachment_content_bytes_deleted_total',
    'Bytes of the kept attachment contents deleted (see caredesk_attachment_contents_deleted_total).',
    [],
  ),
};
