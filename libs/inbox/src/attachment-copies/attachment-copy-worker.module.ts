import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@caredesk/channels';
import { AttachmentCopyProcessor } from './attachment-copy.processor';
import { AttachmentCopyService } from './attachment-copy.service';

/** Copies of platform attachments. Worker only: importing it into the API would make the API consume jobs. */
@Module({
  imports: [AttachmentsModule],
  providers: [AttachmentCopyService, AttachmentCopyProcessor],
})
export class AttachmentCopyWorkerModule {}
