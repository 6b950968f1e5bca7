export * from './channel-token-refresher';
export * from './refresh-grant';
export * from './unsaved-grants';
