import nx from '@nx/eslint-plugin';

// The layers, lowest first: type:util (enums) -> type:domain (contracts, events) -> type:client (sdk)
// and type:runtime (service-kit, bus, db, detector-kit) -> apps. A lib tagged platform:browser (what
// Studio may load) depends only on other platform:browser libs: no Node built-ins, no server packages.
// type:testing (libs/testing) is for specs, fixtures and test harnesses only; the launcher and the
// benchmarks run apps the way the integration tests do, so they may use it too.
const LIB_LAYERS = ['type:util', 'type:domain', 'type:client', 'type:runtime'];
function boundaries(testCode, extra = {}) {
  const testing = testCode ? ['type:testing'] : [];
  return {
    ...extra,
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:util', 'type:domain', ...testing] },
      { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:util', 'type:domain', ...testing] },
      { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: [...LIB_LAYERS, ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [...LIB_LAYERS, 'type:testing'] },
      { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser', ...testing] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...LIB_LAYERS, ...testing] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: [...LIB_LAYERS, ...testing] },
      { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:app', ...LIB_LAYERS, 'type:testing'] },
      // The embedded launcher is the one composition root that may run the apps side by side.
      { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: ['type:app', ...LIB_LAYERS, 'type:testing'] },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/generated', '**/coverage', 'data/**', '.nx/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@barfinex/db/testing', message: 'Test helpers are for specs and test harnesses only.' }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Test code may use the testing lib; production code may not.
    files: [
      '**/*.spec.ts',
      '**/*.spec.tsx',
      '**/*.fixture.ts',
      '**/testing/**',
      '**/test-support.ts',
      '**/e2e/**',
      '**/spec-app.ts',
    ],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)], 'no-restricted-imports': 'off' },
  },
  {
    // Benchmarks are test harnesses; they import some libs lazily (after setting up the process) and others eagerly.
    files: ['tools/bench/**'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        boundaries(true, { checkDynamicDependenciesExceptions: ['@barfinex/**'] }),
      ],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['tools/**', '**/*.spec.ts', '**/examples/**', '**/jest.config.cjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
];
