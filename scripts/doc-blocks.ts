// The fenced code blocks of the project's Markdown, for the checks that keep them true: npm run
// docs --check validates their GraphQL, and test/docs runs the ones tagged `doc-test:<name>`.
import { readdirSync, readFileSync } from 'node:fs';
import { type DocumentNode, type GraphQLSchema, Kind, NoUnusedFragmentsRule, parse, specifiedRules, validate } from 'graphql';

const ROOT = new URL('../', import.meta.url);

/** The Markdown a reader meets: the README, the contributors' guide and everything in docs/. */
export const DOC_FILES: readonly string[] = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The languages a block may be written in; `text` is for diagrams and sample output. */
export const BLOCK_LANGUAGES = ['graphql', 'json', 'js', 'ts', 'sh', 'yaml', 'text'] as const;

/** One fenced block: where it is, its info string split into language and tag, its text. */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  /** The name after `doc-test:` in the info string, when a test runs the block. */
  tag: string | undefined;
  text: string;
}

export function readDoc(file: string): string {
  return readFileSync(new URL(file, ROOT), 'utf8');
}

/** Every fenced block of every doc, in order; an unclosed fence is an error, not a silent skip. */
export function docBlocks(): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const file of DOC_FILES) {
    const lines = readDoc(file).split('\n');
    for (let index = 0; index < lines.length; index++) {
      const open = /^```(.*)$/.exec(lines[index] as string);
      if (!open) continue;
      const [language = '', tagged] = (open[1] as string).trim().split(/\s+/);
      const close = lines.indexOf('```', index + 1);
      if (close < 0) throw new Error(`${file}:${index + 1}: a fenced block that is never closed`);
      blocks.push({
        file,
        line: index + 1,
        language,
        tag: tagged?.startsWith('doc-test:') ? tagged.slice('doc-test:'.length) : undefined,
        text: `${lines.slice(index + 1, close).join('\n')}\n`,
      });
      index = close;
    }
  }
  return blocks;
}

/** Where a block is, as an editor opens it. */
export function placeOf(block: DocBlock): string {
  return `${block.file}:${block.line}`;
}

/**
 * What is wrong with the blocks that can be checked without running them: a language outside
 * BLOCK_LANGUAGES, GraphQL that does not validate against the schema (each operation on its
 * own, so a block may list several anonymous ones as examples), JSON that does not parse.
 */
export function blockProblems(blocks: readonly DocBlock[], schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const block of blocks) {
    const where = placeOf(block);
    if (!(BLOCK_LANGUAGES as readonly string[]).includes(block.language)) {
      problems.push(`${where}: a block in "${block.language}"; write one of ${BLOCK_LANGUAGES.join(', ')}`);
    } else if (block.language === 'graphql') {
      problems.push(...graphqlProblems(block.text, schema).map((problem) => `${where}: ${problem}`));
    } else if (block.language === 'json') {
      try {
        JSON.parse(block.text);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** Why a GraphQL text, operation by operation with the fragments it has, fails the schema. */
export function graphqlProblems(text: string, schema: GraphQLSchema): string[] {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    return [(error as Error).message];
  }
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  // Each operation gets every fragment, so one it does not spread is no fault of it.
  const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
  return document.definitions
    .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
    .flatMap((operation) => validate(schema, { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, rules))
    .map((error) => error.message);
}
