import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { HttpTextAnalyser } from './http-text-analyser';
import { LocalTextAnalyser } from './local-text-analyser';
import { TextAnalyser } from './text-analyser';

/**
 * Provides TextAnalyser: the external service when ANALYSIS_SERVICE_URL is set (falling back to the
 * local analyser per batch), the local analyser otherwise. Not global: the worker's ingest module
 * imports it.
 */
@Module({
  providers: [
    LocalTextAnalyser,
    {
      provide: TextAnalyser,
      inject: [APP_CONFIG, LocalTextAnalyser],
      useFactory: (config: AppConfig, local: LocalTextAnalyser): TextAnalyser =>
        config.analysis.serviceUrl
          ? new HttpTextAnalyser(
              { url: config.analysis.serviceUrl, timeoutMs: config.analysis.timeoutMs },
              local,
            )
          : local,
    },
  ],
  exports: [TextAnalyser],
})
export class AnalysisModule {}
