import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { createGraphQLError } from 'graphql-yoga';
import type { Context } from './context.js';

/** The one Pothos builder; the files under `types/` define the schema with it. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  /** `admin`: the request carries ADMIN_TOKEN. Fields that need it say `authScopes: { admin: true }`. */
  AuthScopes: { admin: boolean };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    CreateEventInput: { Input: unknown; Output: never };
  };
}>({
  // Scope auth first, so no other plugin runs a resolver before the scopes are checked.
  plugins: [ScopeAuthPlugin, ErrorsPlugin],
  defaultFieldNullability: false,
  errors: { directResult: true },
  scopeAuth: {
    authScopes: (context) => ({ admin: context.isAdmin }),
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, context, info) => {
      context.log.warn({ field: `${info.parentType.name}.${info.fieldName}` }, 'refused: an admin field without the admin token');
      return createGraphQLError('This operation needs the admin token: Authorization: Bearer <ADMIN_TOKEN>.', {
        extensions: { code: 'UNAUTHENTICATED' },
      });
    },
  },
});
