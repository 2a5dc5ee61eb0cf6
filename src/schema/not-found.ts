import { GraphQLError } from 'graphql';
import { EventNotFoundError } from '../domain/errors.js';

/** List fields and subscriptions answer an unknown event with a GraphQL error of this code. */
export const EVENT_NOT_FOUND = 'EVENT_NOT_FOUND';

export function eventNotFound(eventId: string): GraphQLError {
  return new GraphQLError(`Event "${eventId}" does not exist.`, {
    extensions: { code: EVENT_NOT_FOUND, eventId },
  });
}

/** Turns the store's EventNotFoundError into the GraphQL error list fields answer with. */
export async function orEventNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof EventNotFoundError) throw eventNotFound(error.eventId);
    throw error;
  }
}
