/**
 * Resolver settings for dependency-cruiser, read through its `webpackConfig`
 * option because its own `enhancedResolveOptions` does not accept
 * `extensionAlias`.
 *
 * package.json "imports" maps `#services/*` to `./app/services/*.js`, and the
 * sources are `.ts`: TypeScript's NodeNext resolution (and ts-node/swc at run
 * time) try the `.ts` file for a `.js` target; enhanced-resolve does the same
 * only when told to, and without it every `#...` import stays unresolved and
 * no cycle through one can be seen.
 */
module.exports = {
  resolve: {
    extensionAlias: { '.js': ['.ts', '.js'] },
  },
}
