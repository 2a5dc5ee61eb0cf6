import { builder } from '../builder.js';

builder.queryType({ description: 'Read events, seats and your holds.' });
builder.mutationType({ description: 'Lock, confirm, release and extend holds on seats.' });
builder.subscriptionType({ description: 'Live seat changes.' });
