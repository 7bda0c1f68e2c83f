import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The schema file the API's repository holds. Production servers answer no
  // introspection, so generate from the file, not from a server's URL.
  schema: '../../schema.graphql',
  documents: ['operations/*.graphql'],
  generates: {
    'generated/': {
      preset: 'client',
      config: {
        // Every custom scalar of the schema, as JSON carries it. With
        // strictScalars a scalar added later fails the generation until it
        // is mapped here, instead of turning into `any`.
        scalars: { DateTime: 'string', Locale: 'string', URL: 'string' },
        strictScalars: true,
        // Types only, so the output compiles under verbatimModuleSyntax and
        // isolatedModules: enums as string unions, `import type`, and `.js`
        // in relative imports for ECMAScript modules.
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
