import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { SnoozeWaker } from './snooze-waker';

/** For the worker: reopens snoozed conversations when their time comes. */
@Module({
  imports: [LiveModule],
  providers: [SnoozeWaker],
  exports: [SnoozeWaker],
})
export class SnoozeWakerModule {}
