import type { Category, Money } from '../domain/model.js';
import { array, LayoutError, object, string } from './layout-values.js';

const CATEGORY_KEY = /^[A-Za-z0-9_-]{1,32}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const CURRENCY = /^[A-Z]{3}$/;
// Up to 9 whole digits and 2 decimals: ticket prices, summed in cents without loss.
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
const MAX_CATEGORIES = 50;

/**
 * An event's `categories`: `[{ "key", "label", "color", "price"?: { "amount", "currencyCode" } }]`.
 * Keys are unique; every price is in one currency, so a hold's total can be summed.
 * @throws LayoutError naming the entry.
 */
export function parseCategories(value: unknown, path: string): Category[] {
  const keys = new Set<string>();
  let currency: string | null = null;
  return array(value, path, MAX_CATEGORIES).map((entryValue, index) => {
    const entryPath = `${path}[${index}]`;
    const entry = object(entryValue, entryPath, ['key', 'label', 'color', 'price']);
    const key = string(entry.key, `${entryPath}.key`);
    if (!CATEGORY_KEY.test(key)) throw new LayoutError(`${entryPath}.key "${key}" must be 1 to 32 letters, digits, hyphens or underscores`);
    if (keys.has(key)) throw new LayoutError(`${entryPath}.key "${key}" is used twice`);
    keys.add(key);
    const label = string(entry.label, `${entryPath}.label`);
    if (label.length > 100) throw new LayoutError(`${entryPath}.label must be at most 100 characters`);
    const color = string(entry.color, `${entryPath}.color`);
    if (!COLOR.test(color)) throw new LayoutError(`${entryPath}.color "${color}" must be a colour like "#c62828"`);
    const price = entry.price === undefined ? null : parseMoney(entry.price, `${entryPath}.price`);
    if (price) {
      if (currency !== null && price.currencyCode !== currency) {
        throw new LayoutError(
          `${entryPath}.price.currencyCode "${price.currencyCode}" differs from the other categories' "${currency}": one currency per event`,
        );
      }
      currency = price.currencyCode;
    }
    return { key, label, color: color.toLowerCase(), price };
  });
}

function parseMoney(value: unknown, path: string): Money {
  const entry = object(value, path, ['amount', 'currencyCode']);
  const amount = string(entry.amount, `${path}.amount`);
  if (!AMOUNT.test(amount)) throw new LayoutError(`${path}.amount "${amount}" must be a decimal like "45.00" (at most 2 decimals)`);
  const currencyCode = string(entry.currencyCode, `${path}.currencyCode`);
  if (!CURRENCY.test(currencyCode)) throw new LayoutError(`${path}.currencyCode "${currencyCode}" must be an ISO 4217 code like "EUR"`);
  return { amount: toTwoDecimals(amount), currencyCode };
}

/** "45" and "45.5" as "45.00" and "45.50": one spelling of each amount. */
function toTwoDecimals(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${String(Number(whole))}.${fraction.padEnd(2, '0')}`;
}

/** A category key used by a section, row or seat: one of the event's. */
export function categoryKey(value: unknown, path: string, categories: ReadonlyMap<string, Category>): string {
  const key = string(value, path);
  if (!categories.has(key)) {
    const known = [...categories.keys()];
    throw new LayoutError(`${path} "${key}" is not one of the event's categories (${known.length > 0 ? known.join(', ') : 'it has none'})`);
  }
  return key;
}
