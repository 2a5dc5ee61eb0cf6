import { createHash } from 'node:crypto';
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ChangeStreamProbe } from '../../schema/context.js';
import { RESUME_ARGUMENT } from '../../schema/change-subscription.js';
import type { GraphQLParams } from '../graphql/operation-params.js';
import { sharingKey, type Execution } from './subscription-multiplexer.js';

/**
 * How a subscription is shared between clients: its live part under `key`, and, when it resumes
 * after a version given as a variable, its own replay. A version written into the document
 * itself makes a subscription of its own (correct, only not shared).
 */
export interface SharedSubscription {
  /** Equal for equal live parts; a digest when long, so a big one is not kept twice. */
  readonly key: string;
  /**
   * What it asks the server to keep while it runs, in characters of its document, operation
   * name and variables: counted against its client's subscription budget.
   */
  readonly size: number;
  /** The variables of the live part: the resume variable left out. */
  readonly liveVariables: Record<string, unknown> | null;
  /** Whether the subscriber resumes: it gets a replay before the live part. */
  readonly resumes: boolean;
}

/** The variable that carries the subscription's `afterVersion`, if it is given by one. */
export function resumeVariable(document: DocumentNode, operationName: string | null | undefined): string | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation !== 'subscription') return null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const argument = selection.arguments?.find((candidate) => candidate.name.value === RESUME_ARGUMENT);
    if (argument?.value.kind === Kind.VARIABLE) return argument.value.name.value;
  }
  return null;
}

export function shareSubscription(document: DocumentNode, params: GraphQLParams): SharedSubscription {
  const variable = resumeVariable(document, params.operationName);
  const variables = params.variables ?? null;
  if (variable === null || variables === null) return { ...keyOf(sharingKey(params)), liveVariables: variables, resumes: false };
  // Whether a subscriber resumes or not, the live part is the same.
  const { [variable]: afterVersion, ...liveVariables } = variables;
  return { ...keyOf(sharingKey({ ...params, variables: liveVariables })), liveVariables, resumes: afterVersion != null };
}

/** Keys longer than this are kept as their digest. */
const LONGEST_PLAIN_KEY = 512;

function keyOf(plain: string): { key: string; size: number } {
  return { key: plain.length > LONGEST_PLAIN_KEY ? createHash('sha256').update(plain).digest('base64') : plain, size: plain.length };
}

/**
 * Starts one execution of the subscription with its own probe (see {@link ChangeStreamProbe}):
 * the live part with `variables`, or a resume's replay alone.
 */
export function startExecution(
  subscribe: (args: ExecutionArgs) => unknown,
  args: ExecutionArgs,
  variables: Record<string, unknown> | null,
  replayOnly: boolean,
): () => Promise<Execution> {
  return async () => {
    const probe: ChangeStreamProbe = { lastVersion: null, replayOnly };
    const contextValue = { ...(args.contextValue as Record<string, unknown>), changeStream: probe };
    const source = (await subscribe({ ...args, variableValues: variables, contextValue })) as AsyncIterable<ExecutionResult> | ExecutionResult;
    return { source, probe };
  };
}

/** The `extensions.code` of a subscription refused because its client's running ones hold too much. */
export const SUBSCRIPTIONS_TOO_LARGE = 'SUBSCRIPTIONS_TOO_LARGE';

/** The refusal of a subscription past its client's budget, on every transport. */
export function subscriptionBudgetError(maxBytes: number): GraphQLError {
  return new GraphQLError(
    `This client's running subscriptions would pass ${maxBytes} bytes of documents and variables (MAX_SUBSCRIPTION_BYTES_PER_CLIENT); end some, or ask for fewer seatIds.`,
    { extensions: { code: SUBSCRIPTIONS_TOO_LARGE } },
  );
}
