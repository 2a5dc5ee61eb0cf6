import { readFileSync } from 'node:fs';
import { LuaScript } from './lua-script.js';
import { luaErrorTable } from './script-errors.js';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);
const INCLUDE = /^--- @include "([\w-]+)"\s*$/gm;

/**
 * Reads `scripts/<name>.lua` with its includes (`--- @include "seats"` brings in
 * `scripts/includes/seats.lua`, each once, where it is named) and the generated `ERR` table, as
 * bullmq does for its commands: one script per operation, the shared parts written once.
 */
export function loadScript(name: string): LuaScript {
  const included = new Set<string>();
  const expand = (source: string, stack: readonly string[]): string =>
    source.replace(INCLUDE, (_line, include: string) => {
      const path = `includes/${include}`;
      if (stack.includes(path)) throw new Error(`seatlock script ${name}: include "${include}" includes itself (${[...stack, path].join(' > ')})`);
      if (included.has(include)) return '';
      included.add(include);
      return expand(readFileSync(new URL(`${path}.lua`, SCRIPTS_DIR), 'utf8'), [...stack, path]);
    });
  return new LuaScript(luaErrorTable() + expand(readFileSync(new URL(`${name}.lua`, SCRIPTS_DIR), 'utf8'), [name]));
}
