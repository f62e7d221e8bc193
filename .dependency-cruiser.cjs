/** Layer rules from ARCHITECTURE.md, checked in `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'client-code-never-imports-server',
      comment: 'Pages, packages, components and the client bundle must not pull server code into the mini-program.',
      severity: 'error',
      from: { path: '^src/(pages|packages|components|client|app)' },
      to: { path: '^src/server/|\\.actions\\.ts$|/actions/|\\.collections\\.ts$|\\.service\\.ts$|\\.keys\\.ts$' },
    },
    {
      name: 'features-use-ports-not-adapters',
      comment: 'Actions see the store/files ports; only host, cloud entries and tests pick adapters.',
      severity: 'error',
      from: { path: '^src/features/' },
      to: {
        path: '^src/server/(store/(sqlite|cloudbase)|files/(local|cloudbase)|host|host-main|local-services|cloud-main|safety/|dispatch|access|areas|demo/)',
      },
    },
    {
      name: 'schemas-and-rules-stay-pure',
      comment: 'Schemas and rules are shared with the client: no server imports, no node built-ins.',
      severity: 'error',
      from: { path: '\\.(schema|rules)\\.ts$' },
      to: { path: '^src/server/|\\.actions\\.ts$|\\.collections\\.ts$|^(node:)?(fs|path|crypto|http|child_process)$', dependencyTypes: ['local', 'core', 'npm'] },
    },
    {
      name: 'client-code-takes-labels-not-schemas',
      comment: 'zod stays out of the weapp packages (main ≤ 500 KB): client code takes constants from *.labels.ts and schemas only as types.',
      severity: 'error',
      from: { path: '^src/(pages|packages|components|client|app)|\\.(rules|labels)\\.ts$' },
      to: { path: '\\.schema\\.ts$|^zod$|node_modules/zod/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'areas-meet-through-services',
      comment:
        'Another area is entered only through its *.service.ts (typed functions taking the caller\'s store or transaction) ' +
        'and its *.schema.ts (contracts). Never its collections, actions, rules or internals: shared pure code lives in src/lib.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/', pathNot: ['^src/features/$1/', '\\.(service|schema)\\.ts$'] },
    },
    {
      name: 'server-reaches-features-through-one-root',
      comment:
        'server/ imports features only in the composition root (areas.ts: the areas; access.ts: what dispatch needs) ' +
        'and the demo seed. Elsewhere only type-only imports of contracts (*.schema.ts), which vanish at run time.',
      severity: 'error',
      from: { path: '^src/server/', pathNot: '^src/server/(areas|access)\\.ts$|^src/server/demo/' },
      to: { path: '^src/features/', pathNot: '\\.schema\\.ts$' },
    },
    {
      name: 'server-uses-contract-types-only',
      severity: 'error',
      from: { path: '^src/server/', pathNot: '^src/server/(areas|access)\\.ts$|^src/server/demo/' },
      to: { path: '^src/features/.*\\.schema\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules|^dist/|cloudfunctions/[^/]+/index\\.js$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
