// ESLint for the web app's React code: the rules of hooks and complete effect dependencies
// (eslint-plugin-react-hooks), both errors; a dependency left out on purpose is marked with an
// eslint-disable comment that says why. Syntax only, no type information: typescript-eslint's
// parser runs on the TypeScript 6 API (the `typescript` alias in package.json), while `tsc`
// (TypeScript 7, `@typescript/native`) type-checks.
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default [
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'react-hooks': reactHooks },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
]
