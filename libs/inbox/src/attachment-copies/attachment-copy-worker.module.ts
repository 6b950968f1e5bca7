import { Module } from '@nestjs/common';
import { AttachmentsModule } from '@caredesk/channels';
import { AttachmentCopyJobs } from './attachment-copy.jobs';
import { AttachmentCopyProcessor } from './attachment-copy.processor';
import { AttachmentCopyService } from './attachment-copy.service';
import { AttachmentCopySweeper } from './attachment-copy.sweeper';

/**
 * Copies of platform attachments and their sweeper. Worker only: importing it into the API would make
 * the API consume jobs.
 */
@Module({
  imports: [AttachmentsModule],
  providers: [AttachmentCopyService, AttachmentCopyProcessor, AttachmentCopyJobs, AttachmentCopySweeper],
})
export class AttachmentCopyWorkerModule {}
