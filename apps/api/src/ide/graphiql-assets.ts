import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The files the offline IDE needs, served from node_modules so the page works without a network.
 * Keys are the public names under /graphiql/assets/; nothing else in node_modules is reachable.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'application/javascript' },
  'react-dom.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'application/javascript',
  },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'application/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

export const ASSET_NAMES = Object.keys(ASSETS);

export type Resolve = (id: string) => string;

/**
 * The absolute path and content type of a public asset name; `undefined` for an unknown name.
 * react and react-dom do not export their umd/ files, so the path is taken from the package's root
 * directory. Throws when the package is not installed (graphiql, react and react-dom are devDependencies).
 */
export function assetPath(
  name: string,
  resolve: Resolve = require.resolve,
): { path: string; type: string } | undefined {
  const asset = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return undefined;
  return { path: join(packageRoot(asset.pkg, resolve), asset.file), type: asset.type };
}

/** Whether every IDE package is installed (false in an image built with `npm ci --omit=dev`). */
export function ideInstalled(resolve: Resolve = require.resolve): boolean {
  try {
    for (const name of ASSET_NAMES) assetPath(name, resolve);
    return true;
  } catch {
    return false;
  }
}

/** The directory holding a package's package.json, found upwards from its resolved main file. */
function packageRoot(pkg: string, resolve: Resolve): string {
  let dir = dirname(resolve(pkg));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === pkg) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${pkg} has no package.json above its main file`);
    dir = parent;
  }
}
