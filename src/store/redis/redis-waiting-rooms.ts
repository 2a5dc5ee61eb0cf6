import { InvalidWaitingRoomError, StoreUnavailableError } from '../../domain/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { RedisClient } from '../../lib/redis-connection.js';
import { newQueueKey, QueueCredentials } from '../queue-credentials.js';
import { DEFAULT_ADMISSION_SECONDS, settingsProblem, settledCopy, type RoomSettings, type RoomState } from '../queue-schedule.js';
import { EarlyArrivalNumbers, roomView, ticketView, ticketWithoutRoom, type QueueTicket, type WaitingRoomView, type WaitingRooms } from '../waiting-room.js';
import type { RedisKeys } from './keys.js';
import { nullIfRemoved } from './script-errors.js';
import { ops, type RoomReply, type ScriptOp } from './script-ops.js';

export interface RedisWaitingRoomsOptions {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly clock: Clock;
  /** Runs a script on the event's keys once attached (EventNotFoundError for an event this store does not have). */
  readonly run: <TArgs, TOk>(op: ScriptOp<TArgs, TOk>, eventId: string, args: TArgs) => Promise<TOk>;
  /** Bounds a call by an operation's deadline. */
  readonly within: <T>(promise: Promise<T>) => Promise<T>;
  /** Settles once attached to the store and connected (or throws StoreUnavailableError). */
  readonly connected: () => Promise<void>;
  /** Told when a room changed, so watchers hear it at once. */
  readonly changed: () => void;
}

/** cjson writes an empty list as `{}`. */
function roomOf(reply: RoomReply): RoomState | null {
  if (reply.room === false) return null;
  return { ...reply.room, history: Array.isArray(reply.room.history) ? reply.room.history : [] };
}

/**
 * The waiting rooms of a Redis store. A room and its tickets live in the event's slot and every
 * change is one script call (room-join, room-configure), so serials are unique across instances
 * and Cluster-safe; a ticket's standing is worked out here from the room, with the rules of
 * queue-schedule.ts. The signing key is one key of the store, read once per instance: any
 * instance checks an admission token with no round trip.
 */
export class RedisWaitingRooms implements WaitingRooms {
  private key: Promise<QueueCredentials> | null = null;
  private readonly numbers = new EarlyArrivalNumbers();

  constructor(private readonly options: RedisWaitingRoomsOptions) {}

  credentials(): Promise<QueueCredentials> {
    this.key ??= this.readKey().catch((error: unknown) => {
      this.key = null;
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    });
    return this.key;
  }

  async configure(eventId: string, settings: RoomSettings): Promise<WaitingRoomView> {
    const problem = settingsProblem(settings, null);
    if (problem !== null) throw new InvalidWaitingRoomError(problem);
    const reply = await this.options.run(ops.roomConfigure, eventId, {
      settings,
      seed: newQueueKey(),
      defaultAdmissionSeconds: DEFAULT_ADMISSION_SECONDS,
    });
    // Noted after the room is made (another slot, so not in its script): a room is never left out of the index.
    await this.options.within(this.options.redis.sadd(this.options.keys.rooms(), eventId));
    this.options.changed();
    return roomView(eventId, roomOf(reply) as RoomState, reply.now);
  }

  async room(eventId: string): Promise<WaitingRoomView | null> {
    const reply = await this.options.run(ops.roomRead, eventId, {});
    const room = roomOf(reply);
    return room && roomView(eventId, settledCopy(room, reply.now), reply.now);
  }

  /** The rooms of the index: one read each, for the events that have one, not for every event. */
  async rooms(): Promise<WaitingRoomView[]> {
    const { redis, keys, within } = this.options;
    const views: WaitingRoomView[] = [];
    for (const eventId of await within(redis.smembers(keys.rooms()))) {
      const view = await this.room(eventId).catch(nullIfRemoved);
      if (view) views.push(view);
    }
    return views;
  }

  async join(eventId: string, client: string): Promise<QueueTicket> {
    const credentials = await this.credentials();
    let reply = await this.options.run(ops.roomJoin, eventId, { client });
    if (reply.serial === 0) return ticketWithoutRoom(eventId, credentials, reply.now, roomOf(reply));
    let ticket = ticketView(eventId, reply.serial, roomOf(reply), credentials, this.numbers, reply.now);
    if (reply.held && ticket.status === 'LAPSED') {
      reply = await this.options.run(ops.roomJoin, eventId, { client, replace: reply.serial });
      ticket = ticketView(eventId, reply.serial, roomOf(reply), credentials, this.numbers, reply.now);
    }
    return ticket;
  }

  async ticket(id: string): Promise<QueueTicket | null> {
    const credentials = await this.credentials();
    const ref = credentials.ticketOf(id);
    if (ref === null) return null;
    const reply = await this.options.run(ops.roomRead, ref.eventId, {}).catch(nullIfRemoved);
    if (reply === null) return null;
    const stored = roomOf(reply);
    if (stored === null ? ref.serial > 0 : ref.serial > stored.joined) return null;
    const room = stored && settledCopy(stored, reply.now);
    return ticketView(ref.eventId, ref.serial, room, credentials, this.numbers, reply.now);
  }

  async roomState(eventId: string): Promise<RoomState | null> {
    const reply = await this.options.run(ops.roomRead, eventId, {}).catch(nullIfRemoved);
    return reply && roomOf(reply);
  }

  /** The store's key, made by the first instance that needs it. */
  private async readKey(): Promise<QueueCredentials> {
    const { redis, keys, within, connected } = this.options;
    await connected();
    await within(redis.set(keys.queueKey(), newQueueKey(), 'NX'));
    const key = await within(redis.get(keys.queueKey()));
    if (key === null) throw new Error('the queue key vanished as it was made');
    return new QueueCredentials(key);
  }
}
