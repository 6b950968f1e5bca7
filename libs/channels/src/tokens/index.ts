export * from './channel-token-refresher';
export * from './refresh-grant';
