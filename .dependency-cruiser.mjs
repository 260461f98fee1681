/**
 * Layering, checked by `npm run lint` (dependency-cruiser 17: 18 needs Node 22). From the top:
 * functions/, local/, infra/ and tests (the edges) → shared/api (the catalogue of operations)
 * → shared/http (the request pipeline) → the domain (shared/<area>, shared/data, …).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'http-is-the-edge',
      comment: 'shared/http is the request pipeline: only functions/, local/ and tests import it.',
      severity: 'error',
      from: { pathNot: '^(functions|local|test|shared/http)/' },
      to: { path: '^shared/http/' },
    },
    {
      name: 'domain-does-not-import-up',
      comment: 'The domain (shared/ below the edge) never imports the pipeline or the catalogue of operations.',
      severity: 'error',
      from: { path: '^shared/', pathNot: '^shared/(api|http)/' },
      to: { path: '^shared/(api|http)/' },
    },
    {
      name: 'functions-import-their-own-operation',
      comment:
        'A function imports its own operation object, never the catalogue: that would put every schema in its bundle (cold start).',
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/meta/get-openapi\\.ts$' },
      to: { path: '^shared/api/' },
    },
    {
      name: 'fakes-are-for-tests',
      comment:
        'In-memory fakes and their contract suites (test/fakes, test/contracts) stand in for the table in tests only: no production code imports them, nor anything else under test/.',
      severity: 'error',
      from: { path: '^(shared|functions|local|infra|console/src|scripts)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
