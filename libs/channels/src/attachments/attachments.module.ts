import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels.module';
import { AttachmentContentCollector } from './attachment-content.collector';
import { AttachmentContentStore } from './attachment-content.store';
import { AttachmentFetcher } from './attachment-fetcher';
import { AttachmentLinks } from './attachment-links';
import { AttachmentsController } from './attachments.controller';

/** Attachment bytes Caredesk keeps (email, copies of platform files) and the signed links that open them. */
@Module({
  imports: [ChannelsModule],
  providers: [AttachmentContentStore, AttachmentLinks, AttachmentFetcher],
  exports: [AttachmentContentStore, AttachmentLinks, AttachmentFetcher],
})
export class AttachmentsModule {}

/** The API's download endpoint for those links. */
@Module({
  imports: [AttachmentsModule],
  controllers: [AttachmentsController],
})
export class AttachmentDownloadModule {}

/** For the worker: deletes kept bytes that nothing names any more. The API has no timers. */
@Module({ providers: [AttachmentContentCollector], exports: [AttachmentContentCollector] })
export class AttachmentCollectionModule {}
