// Lint with type information, kept to rules that catch real faults, plus the project's one
// structural rule: a service is entered only through its index.ts (STYLE.md).
import tseslint from 'typescript-eslint';

const SERVICES = ['broker', 'cli', 'container', 'gram', 'gsi', 'mds', 'site'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'var/**', 'certs/**', 'bench/**/*.c'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      eqeqeq: ['error', 'always'],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  ...SERVICES.map((service) => ({
    files: [`services/${service}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${SERVICES.filter((s) => s !== service).join('|')})/(?!index\\.ts$).+`,
              message: "Import another service only through its index.ts (its whole public surface).",
            },
          ],
        },
      ],
    },
  })),
  {
    // node:test's describe/it return promises the runner itself awaits.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['services/cli/output.ts'],
    rules: { 'no-console': 'error' },
  },
);
