import { builder } from '../builder.js';

builder.queryField('adminAccess', (t) =>
  t.boolean({
    description:
      'Admin. true when the request carries the admin token; without it, UNAUTHENTICATED like every admin field. ' +
      'A cheap check of a token before using it (the box office page checks one on entry).',
    authScopes: { admin: true },
    resolve: () => true,
  }),
);
