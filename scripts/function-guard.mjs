// An esbuild plugin for production cloud-function bundles: fails the build when local-only code
// (SQLite, the local file store, the word list, the local entry) is imported from anywhere.
import { relative } from 'node:path';

export const LOCAL_ONLY = [
  /^better-sqlite3$/,
  /[\\/]node_modules[\\/]better-sqlite3[\\/]/,
  /[\\/]src[\\/]server[\\/](store[\\/]sqlite|files[\\/]local|safety[\\/]word-list|local-services|cloud-main-local)\.ts$/,
];

export function localOnlyGuard(root) {
  return {
    name: 'local-only-guard',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'guarded') return undefined;
        // Let esbuild (and the other plugins) resolve it, then look at where it landed.
        const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'guarded' });
        if (LOCAL_ONLY.some((re) => re.test(args.path) || re.test(resolved.path))) {
          const what = resolved.path ? relative(root, resolved.path) : args.path;
          return { errors: [{ text: `${what} is local-only and must not be in a cloud function bundle (imported by ${relative(root, args.importer)})` }] };
        }
        return resolved;
      });
    },
  };
}
