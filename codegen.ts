import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the tests and clients, from the printed schema and operations/*.graphql.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'operations/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', ID: 'string', CreateEventInput: 'Record<string, unknown>' },
      },
    },
    // Which types implement Error and make up each result union, for Apollo's InMemoryCache.
    'operations/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
};

export default config;
