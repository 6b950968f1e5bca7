import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { AnalysisModule } from './analysis.module';
import { HttpTextAnalyser } from './http-text-analyser';
import { LocalTextAnalyser } from './local-text-analyser';
import { TextAnalyser } from './text-analyser';

async function resolveWith(analysis: AppConfig['analysis']): Promise<TextAnalyser> {
  // Stands in for the global CoreConfigModule, which provides APP_CONFIG in the apps.
  @Global()
  @Module({ providers: [{ provide: APP_CONFIG, useValue: { analysis } }], exports: [APP_CONFIG] })
  class ConfigStub {}
  const moduleRef = await Test.createTestingModule({ imports: [ConfigStub, AnalysisModule] }).compile();
  return moduleRef.get(TextAnalyser);
}

describe('AnalysisModule', () => {
  it('provides the local analyser when ANALYSIS_SERVICE_URL is empty', async () => {
    expect(await resolveWith({ serviceUrl: '', timeoutMs: 2000 })).toBeInstanceOf(LocalTextAnalyser);
  });

  it('provides the HTTP analyser when ANALYSIS_SERVICE_URL is set', async () => {
    expect(await resolveWith({ serviceUrl: 'http://127.0.0.1:9/analyse', timeoutMs: 2000 })).toBeInstanceOf(
      HttpTextAnalyser,
    );
  });

  it('analyses a batch in order, one answer per item', async () => {
    const analyser = await resolveWith({ serviceUrl: '', timeoutMs: 2000 });
    const out = await analyser.analyse([
      { text: 'Tusen takk, dere er best 😊' },
      { text: '' },
      { text: 'Thất vọng thật sự' },
    ]);
    expect(out).toEqual([
      { language: 'no', sentiment: { score: expect.any(Number), label: 'POSITIVE' } },
      { language: null, sentiment: null },
      { language: 'vi', sentiment: { score: expect.any(Number), label: 'NEGATIVE' } },
    ]);
  });
});
