import { getOperationAST, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ChangeStreamProbe } from '../schema/context.js';
import type { GraphQLParams } from './operation-params.js';
import { sharingKey, type Execution } from './subscription-multiplexer.js';

/** The argument that makes a subscription resume after a version (`seatChanged`'s). */
const RESUME_ARGUMENT = 'afterVersion';

/**
 * How a subscription is shared between clients: its live part under `key`, and, when it resumes
 * after a version given as a variable, its own replay. A version written into the document
 * itself makes a subscription of its own (correct, only not shared).
 */
export interface SharedSubscription {
  readonly key: string;
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
  if (variable === null || variables === null) return { key: sharingKey(params), liveVariables: variables, resumes: false };
  // Whether a subscriber resumes or not, the live part is the same.
  const { [variable]: afterVersion, ...liveVariables } = variables;
  return { key: sharingKey({ ...params, variables: liveVariables }), liveVariables, resumes: afterVersion != null };
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
