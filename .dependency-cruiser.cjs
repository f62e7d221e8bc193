/** Layer rules from ARCHITECTURE.md, checked in `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'client-code-never-imports-server',
      comment: 'Pages, packages, components and the client bundle must not pull server code into the mini-program.',
      severity: 'error',
      from: { path: '^src/(pages|packages|components|client|app)' },
      to: { path: '^src/server/|\\.actions\\.ts$|/actions/|\\.collections\\.ts$' },
    },
    {
      name: 'features-use-ports-not-adapters',
      comment: 'Actions see the store/files ports; only host, cloud entries and tests pick adapters.',
      severity: 'error',
      from: { path: '^src/features/' },
      to: {
        path: '^src/server/(store/(sqlite|cloudbase)|files/(local|cloudbase)|host|host-main|local-services|cloud-main|safety/)',
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
