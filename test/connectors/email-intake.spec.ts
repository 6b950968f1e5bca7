import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { AppConfig } from '@caredesk/core';
import type { ChannelRouteService, InboundDelivery, InboundEventWriter } from '@caredesk/channels';
import { EmailIntakeService } from '../../libs/channels/src/connectors/email/email-intake.service';
import { freePort } from '../support/ports';

const BOX = 'support@brand.example';
const plain = readFileSync(join(__dirname, '../fixtures/email/plain.eml'), 'utf8');

/**
 * The SMTP listener's promises, with the database replaced by stubs: 250 only once the writer has
 * committed, 451 (the sender keeps the mail and retries) when it could not, 550 for unknown mailboxes.
 */
describe('EmailIntakeService (SMTP listener)', () => {
  let intake: EmailIntakeService;
  const written: InboundDelivery[][] = [];
  let writerFails = false;
  let routesFail = false;

  beforeAll(async () => {
    const port = await freePort();
    const config = {
      platforms: { email: { smtpHost: '127.0.0.1', smtpPort: port } },
    } as unknown as AppConfig;
    const routes = {
      resolve: async (_platform: string, address: string) => {
        if (routesFail) throw new Error('database down');
        return address.toLowerCase() === BOX ? { agencyId: 'a', brandId: 'b', channelId: 'c' } : null;
      },
    } as unknown as ChannelRouteService;
    const writer = {
      write: async (deliveries: InboundDelivery[]) => {
        if (writerFails) throw new Error('database down');
        written.push(deliveries);
        return { stored: deliveries.length, duplicates: 0, unrouted: 0 };
      },
    } as unknown as InboundEventWriter;
    intake = new EmailIntakeService(config, routes, writer);
    await intake.onApplicationBootstrap();
  });
  afterAll(() => intake.onApplicationShutdown());
  beforeEach(() => {
    written.splice(0);
    writerFails = false;
    routesFail = false;
  });

  const deliver = (to: string[]) =>
    createTransport({ host: '127.0.0.1', port: intake.port!, secure: false, ignoreTLS: true }).sendMail({
      envelope: { from: 'kari.nordmann@example.no', to },
      raw: plain,
    });

  it('does not listen without INBOUND_SMTP_PORT', async () => {
    const off = new EmailIntakeService(
      { platforms: { email: { smtpHost: '127.0.0.1', smtpPort: 0 } } } as unknown as AppConfig,
      {} as ChannelRouteService,
      {} as InboundEventWriter,
    );
    await off.onApplicationBootstrap();
    expect(off.port).toBeNull();
  });

  it('250 after the write: the delivery names the mailbox and the Message-ID', async () => {
    const info = await deliver(['Support@Brand.example']);
    expect(info.response).toMatch(/^250/);
    expect(written).toEqual([
      [
        expect.objectContaining({
          platform: 'EMAIL',
          externalAccountId: BOX,
          eventKey: `${BOX} CAF=plain.10443@mail.example.no`,
        }),
      ],
    ]);
  });

  it('550 for a mailbox that is no connected channel; the known one in the same envelope still gets it', async () => {
    await expect(deliver(['nobody@brand.example'])).rejects.toMatchObject({ responseCode: 550 });
    expect(written).toEqual([]);
    const info = await deliver(['nobody@brand.example', BOX]);
    expect(info.rejected).toEqual(['nobody@brand.example']);
    expect(written.map((d) => d.map((x) => x.externalAccountId))).toEqual([[BOX]]);
  });

  it('451 when the mail could not be committed, or the mailbox could not be looked up', async () => {
    writerFails = true;
    await expect(deliver([BOX])).rejects.toMatchObject({ responseCode: 451 });
    writerFails = false;
    routesFail = true;
    await expect(deliver([BOX])).rejects.toMatchObject({ responseCode: 451 });
    expect(written).toEqual([]);
  });
});
