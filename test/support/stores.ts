import type { Config } from '../../src/config.js';

/** Every store the contract suites run against, with the configuration that selects it. */
export const storeKinds: readonly { readonly name: string; readonly config: Partial<Config> }[] = [
  { name: 'memory', config: {} },
];
