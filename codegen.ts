import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the operations the README shows and the tests run:
// a change to the schema that breaks an example fails the type check.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/operations/*.graphql'],
  generates: {
    'test/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, emitLegacyCommonJSImports: false, scalars: { DateTime: 'string', URL: 'string', Locale: 'string' } },
    },
  },
  silent: true,
};

export default config;
