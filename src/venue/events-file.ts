import { readFileSync } from 'node:fs';
import type { EventDefinition } from '../domain/model.js';
import { DEFAULT_LAYOUT_LIMITS, LayoutError, parseEventLayouts, type LayoutLimits } from './layout.js';

/**
 * Reads and validates the events of `EVENTS_FILE`.
 * @throws LayoutError whose message names the file and the bad entry.
 */
export function readEventsFile(path: string, limits: LayoutLimits = DEFAULT_LAYOUT_LIMITS): EventDefinition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LayoutError(`EVENTS_FILE ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new LayoutError(`EVENTS_FILE ${path}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseEventLayouts(document, limits);
  } catch (error) {
    if (error instanceof LayoutError) throw new LayoutError(`EVENTS_FILE ${path}: ${error.message}`);
    throw error;
  }
}
