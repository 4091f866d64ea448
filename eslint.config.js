import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  {
    name: 'Vendora ignores',
    // Firmware is C++ (its twin is built from the sketch), public/ is served as
    // is, and build/ and tmp/ are generated.
    ignores: ['firmware/**', 'public/**', 'build/**', 'tmp/**', 'storage/**'],
  },
  {
    name: 'Vendora tests and benchmarks',
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Japa specs read a response in one expression, `(await client.get(url)).body()`;
      // the rule would turn every such line into a throwaway variable.
      '@unicorn/no-await-expression-member': 'off',
    },
  }
)
