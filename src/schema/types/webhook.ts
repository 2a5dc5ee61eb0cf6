import { GraphQLError } from 'graphql';
import { InvalidWebhookUrlError, WebhookNotFoundError } from '../../domain/errors.js';
import { isWebhookMessageType, WEBHOOK_MESSAGE_TYPES, type WebhookMessageType } from '../../domain/webhook-message.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../store/webhook-outbox.js';
import { checkWebhookUrl, WebhookUrlError } from '../../webhooks/address-policy.js';
import { newWebhookSecret } from '../../webhooks/signing.js';
import { builder } from '../builder.js';
import { createWebhookErrors, webhookNotFoundErrors } from './errors.js';

/** Deliveries listed at most by webhookDeliveries. */
const MAX_DELIVERIES_LISTED = 500;
const MAX_DESCRIPTION_LENGTH = 500;
/** More event ids than this in one endpoint's filter are refused (a filter, not a data store). */
const MAX_EVENT_IDS = 1_000;

/** An endpoint as answered: the secret only by createWebhook, which sets `secretShown`. */
type EndpointAnswer = WebhookEndpoint & { readonly secretShown?: boolean };

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Not tried yet.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'The last try failed; the next is due at nextAttemptAt.' },
    GIVEN_UP: { description: 'No more tries: the retry schedule ran out, or the receiver answered 410 Gone.' },
  } as const,
});

const WebhookEndpointRef = builder.objectRef<EndpointAnswer>('WebhookEndpoint').implement({
  description: 'Admin. A receiver of webhook messages, signed as Standard Webhooks.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    types: t.stringList({ nullable: true, description: 'The message types it gets; null: all.', resolve: (endpoint) => endpoint.types }),
    eventIds: t.idList({ nullable: true, description: 'The events whose messages it gets; null: all.', resolve: (endpoint) => endpoint.eventIds }),
    description: t.exposeString('description', { nullable: true }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it was disabled (a 410 from the receiver).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    secret: t.string({
      nullable: true,
      description: 'The signing secret (whsec_…): answered by createWebhook only, never again. Keep it with the receiver.',
      resolve: (endpoint) => (endpoint.secretShown ? endpoint.secret : null),
    }),
  }),
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'Admin. One message to one endpoint, and how its delivery stands.',
  fields: (t) => ({
    messageId: t.exposeID('messageId', { description: 'The webhook-id of every request that carries it.' }),
    type: t.exposeString('type'),
    eventId: t.exposeID('eventId'),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.exposeInt('attempts'),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'What went wrong last (a status, a timeout, a refused address).' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'https:// (http:// and private addresses only with WEBHOOKS_ALLOW_PRIVATE=true).' }),
    types: t.stringList({ description: `Message types to get (${WEBHOOK_MESSAGE_TYPES.join(', ')}); omitted: all.` }),
    eventIds: t.idList({ description: 'Events whose messages to get; omitted: all.' }),
    description: t.string({ description: 'For the operator: what the receiver is.' }),
  }),
});

function checkedTypes(types: readonly string[] | null | undefined): WebhookMessageType[] | null {
  if (types == null) return null;
  const unknown = types.filter((type) => !isWebhookMessageType(type));
  if (unknown.length > 0) {
    throw new GraphQLError(`types names unknown message types (${unknown.join(', ')}); known: ${WEBHOOK_MESSAGE_TYPES.join(', ')}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return [...new Set(types)] as WebhookMessageType[];
}

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: WebhookEndpointRef,
    description: 'Admin. A new endpoint: every message of its types and events is signed and delivered to it, at least once. Answers its secret, only here.',
    authScopes: { admin: true },
    errors: { types: [...createWebhookErrors], union: { name: 'CreateWebhookResult' } },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const outbox = context.store.webhooks;
      let url: URL;
      try {
        url = checkWebhookUrl(input.url, context.webhooksAllowPrivate);
      } catch (error) {
        if (error instanceof WebhookUrlError) throw new InvalidWebhookUrlError(error.message);
        throw error;
      }
      const description = input.description ?? null;
      if (description !== null && description.length > MAX_DESCRIPTION_LENGTH) {
        throw new GraphQLError(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters.`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const eventIds = input.eventIds == null ? null : [...new Set(input.eventIds)];
      if (eventIds !== null && eventIds.length > MAX_EVENT_IDS) {
        throw new GraphQLError(`eventIds must name at most ${MAX_EVENT_IDS} events.`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const endpoint = await outbox.createWebhookEndpoint({
        url: url.href,
        secret: newWebhookSecret(),
        types: checkedTypes(input.types),
        eventIds,
        description,
      });
      context.audit('createWebhook', { endpointId: endpoint.id, types: endpoint.types, eventIds: endpoint.eventIds });
      return { ...endpoint, secretShown: true };
    },
  }),
  deleteWebhook: t.field({
    type: WebhookEndpointRef,
    description: 'Admin. Stops deliveries to the endpoint at once and forgets it; answers it as it was.',
    authScopes: { admin: true },
    errors: { types: [...webhookNotFoundErrors], union: { name: 'DeleteWebhookResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const endpoint = await context.store.webhooks.deleteWebhookEndpoint(id);
      if (endpoint === null) throw new WebhookNotFoundError(id);
      context.audit('deleteWebhook', { endpointId: id });
      return endpoint;
    },
  }),
  redeliverWebhookMessage: t.field({
    type: WebhookDeliveryRef,
    description: 'Admin. Sends the message to the endpoint again, now, with the same webhook-id.',
    authScopes: { admin: true },
    errors: { types: [...webhookNotFoundErrors], union: { name: 'RedeliverWebhookMessageResult' } },
    args: { endpointId: t.arg.id({ required: true }), messageId: t.arg.id({ required: true }) },
    resolve: async (_root, { endpointId, messageId }, context) => {
      const delivery = await context.store.webhooks.redeliverWebhookMessage(endpointId, messageId);
      if (delivery === null) throw new WebhookNotFoundError(endpointId, messageId);
      context.audit('redeliverWebhookMessage', { endpointId, messageId });
      return delivery;
    },
  }),
}));

builder.queryFields((t) => ({
  webhooks: t.field({
    type: [WebhookEndpointRef],
    description: 'Admin. Every webhook endpoint, oldest first (never their secrets).',
    authScopes: { admin: true },
    resolve: (_root, _args, context) => context.store.webhooks.listWebhookEndpoints(),
  }),
  webhookDeliveries: t.field({
    type: [WebhookDeliveryRef],
    description: `Admin. An endpoint's deliveries, newest first (limit 1 to ${MAX_DELIVERIES_LISTED}, default 50; the last 1,000 finished ones are kept). Unknown endpoint: error WEBHOOK_NOT_FOUND.`,
    authScopes: { admin: true },
    args: { endpointId: t.arg.id({ required: true }), limit: t.arg.int({ defaultValue: 50, required: true }) },
    resolve: async (_root, { endpointId, limit }, context) => {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERIES_LISTED) {
        throw new GraphQLError(`limit must be from 1 to ${MAX_DELIVERIES_LISTED} (got ${limit}).`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const deliveries = await context.store.webhooks.listWebhookDeliveries(endpointId, limit);
      if (deliveries === null) throw new GraphQLError(`No webhook endpoint "${endpointId}".`, { extensions: { code: 'WEBHOOK_NOT_FOUND', endpointId } });
      return deliveries;
    },
  }),
}));
