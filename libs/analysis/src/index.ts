export * from './text-analyser';
export * from './language/language-codes';
export { detectLanguage } from './language/detect-language';
export { LocalTextAnalyser } from './local-text-analyser';
export { HttpTextAnalyser } from './http-text-analyser';
export * from './analysis.module';
export { analysisMetrics } from './analysis.metrics';
export { labelFor, POSITIVE_FROM, NEGATIVE_FROM } from './sentiment/lexicon-sentiment';
