export * from './engine/style-check.types';
export * from './engine/style-rules';
export * from './style-guide-check.service';
export * from './style-guides.module';
export { TEMPLATE_VARIABLES } from './engine/style-rules';
