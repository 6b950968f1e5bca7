import { createTransport } from 'nodemailer';

/** What another mail server does: deliver a raw message to the MX on 127.0.0.1:`port` for `to`. */
export function deliverMail(port: number, raw: string, to: string | string[]) {
  return createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
    envelope: { from: 'bounce@example.no', to: Array.isArray(to) ? to : [to] },
    raw,
  });
}
