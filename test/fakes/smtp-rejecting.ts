import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface RejectingSmtp {
  /** smtp://127.0.0.1:<port> — add `user:pass@` to make nodemailer authenticate. */
  url: string;
  /** The SMTP reply code given to MAIL FROM (e.g. 451 greylisting, 550 policy), or null to accept. */
  mailFromReply: number | null;
  close(): Promise<void>;
}

/**
 * An SMTP server that fails the way real ones do: AUTH always refused with 535 (revoked app password),
 * MAIL FROM answered with a programmable reply code. For the connector's error mapping.
 */
export async function startRejectingSmtp(): Promise<RejectingSmtp> {
  const state: RejectingSmtp = { url: '', mailFromReply: 451, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(Object.assign(new Error('5.7.8 Username and Password not accepted'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      if (state.mailFromReply === null) return callback();
      const text = state.mailFromReply < 500 ? '4.7.1 Try again later' : '5.7.1 Sender rejected by policy';
      callback(Object.assign(new Error(text), { responseCode: state.mailFromReply }));
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
