import { assetPath, ASSET_NAMES, ideInstalled } from './graphiql-assets';

describe('graphiql assets', () => {
  it('finds every asset in node_modules', () => {
    expect(ideInstalled()).toBe(true);
    for (const name of ASSET_NAMES) expect(assetPath(name)?.path).toMatch(/node_modules/);
  });

  it('reaches nothing but the listed assets', () => {
    expect(assetPath('../package.json')).toBeUndefined();
    expect(assetPath('constructor')).toBeUndefined();
  });

  it('reports the IDE as missing when the packages are not installed (production image)', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(ideInstalled(missing)).toBe(false);
  });
});
