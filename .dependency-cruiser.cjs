/**
 * The layers may only point inwards: bot → workflows → db → domain. The sandbox (the Slack
 * stand-in and the browser page) sits outside the product and is never imported by it.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules: it imports no other layer of Vouch.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(db|workflows|bot|sandbox)/' },
    },
    {
      name: 'db-below-workflows',
      comment: 'src/db holds schema and queries: it imports no workflow, Slack adapter or sandbox.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(workflows|bot|sandbox)/' },
    },
    {
      name: 'workflows-below-bot',
      comment: 'src/workflows never names Slack adapters.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/(bot|sandbox)/' },
    },
    {
      name: 'product-without-sandbox',
      comment: 'Product code never imports the sandbox.',
      severity: 'error',
      from: { path: '^src/(bot|workflows|db|domain)/' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: "Type-only cycles are erased at compile time and allowed (the effects name the machines' events).",
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
