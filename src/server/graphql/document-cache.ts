import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** How much parsed GraphQL the server keeps for reuse. */
export interface DocumentCacheLimits {
  /** Parsed documents kept at once. */
  readonly maxDocuments: number;
  /** Their source text in all, in UTF-16 code units; a parsed tree takes some 20 times that. */
  readonly maxSourceLength: number;
}

/**
 * yoga's parse cache, bounded by entries and by source length: each distinct document a client
 * sends (a query text with a hold token written in is distinct every time) would otherwise be
 * kept with its validation result and compiled code until 1,024 of them fill the heap.
 */
export function createDocumentCache({ maxDocuments, maxSourceLength }: DocumentCacheLimits): LRUCache<string, DocumentNode> {
  return new LRUCache<string, DocumentNode>({
    max: maxDocuments,
    maxSize: maxSourceLength,
    // A document larger than the whole budget is parsed each time instead (lru-cache skips it).
    sizeCalculation: (_document, source) => Math.max(1, source.length),
  });
}
