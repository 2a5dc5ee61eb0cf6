import { builder } from './builder.js';
import './types/roots.js';
import './types/scalars.js';
import './types/errors.js';
import './types/category.js';
import './types/seat.js';
import './types/area.js';
import './types/event.js';
import './types/hold.js';
import './types/booking.js';
import './types/seat-release.js';
import './types/seat-block.js';
import './types/seat-change.js';
import './types/area-change.js';
import './types/sales.js';
import './types/admin-access.js';
import './types/webhook.js';
import './types/waiting-room.js';
import './types/queue-ticket.js';
import './types/queue-progress.js';

/** The seatlock GraphQL schema. */
export const schema = builder.toSchema({ sortSchema: false });
