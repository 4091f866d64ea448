/**
 * Dependency rules for `npm run check:imports` (dependency-cruiser).
 *
 * Code depends downward only: transports (routes, controllers, sockets,
 * commands, jobs) -> actions -> services -> models; the layer rules below
 * refuse an import that runs up. A cycle means some lower layer reaches
 * back up, so any cycle fails the check too, with one exception: Lucid
 * models refer to each other through their relations (an Order belongs to a
 * Machine, a Machine has many Orders), and those cycles stay inside app/models.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A module reaches itself again through its imports (static or dynamic import()). ' +
        'Only cycles made entirely of Lucid models in app/models are allowed.',
      from: {},
      to: {
        circular: true,
        // Matches a cycle when at least one module in it lies outside
        // app/models, so cycles made only of models pass.
        via: { pathNot: '^app/models/' },
      },
    },
    {
      name: 'services-import-no-layer-above',
      severity: 'error',
      comment:
        'Services sit under the actions: they never import an action, a job, a transport or a listener.',
      from: { path: '^app/services/' },
      to: { path: '^app/(actions|jobs|sockets|controllers|middleware|listeners)/' },
    },
    {
      name: 'actions-import-no-transport',
      severity: 'error',
      comment:
        'Actions are shared by every transport, so they import none (news goes up as an event).',
      from: { path: '^app/actions/' },
      to: { path: '^app/(jobs|sockets|controllers|middleware|listeners)/' },
    },
    {
      name: 'models-import-no-layer-above',
      severity: 'error',
      comment: 'Models are the bottom layer: no action, service with behaviour, job or transport.',
      from: { path: '^app/models/' },
      to: { path: '^app/(actions|jobs|sockets|controllers|middleware|listeners)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Packages cannot import the app back, so they are left out of the graph.
    exclude: { path: ['^node_modules', '^build/', '^tmp/'] },
    // Type-only imports are counted too: an upward `import type` still ties a
    // lower layer to a higher one.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // `#services/...` and the other subpath imports resolve through
    // package.json "imports"; this file adds the `.js` -> `.ts` mapping.
    webpackConfig: { fileName: '.dependency-cruiser.resolve.cjs' },
    // Packages (@adonisjs/core/..., @adonisjs/lucid/orm) resolve through their
    // "exports" maps; unresolved they would show up as unknown modules instead
    // of being excluded.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
}
