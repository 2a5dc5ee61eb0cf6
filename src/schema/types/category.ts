import { centsOf, moneyOf } from '../../domain/money.js';
import type { Category, Money } from '../../domain/model.js';
import { builder } from '../builder.js';

export const MoneyRef = builder.objectRef<Money>('Money').implement({
  description: 'An amount of money.',
  fields: (t) => ({
    amount: t.exposeString('amount', { description: 'A decimal with two places, e.g. "45.00".' }),
    currencyCode: t.exposeString('currencyCode', { description: 'ISO 4217, e.g. "EUR".' }),
  }),
});

export const CategoryRef = builder.objectRef<Category>('Category').implement({
  description: 'A price band of an event: its seats cost the same.',
  fields: (t) => ({
    key: t.exposeID('key'),
    label: t.exposeString('label'),
    color: t.exposeString('color', { description: 'For maps and legends, e.g. "#c62828".' }),
    price: t.expose('price', { type: MoneyRef, nullable: true }),
  }),
});

/** Seats or places of one category: a seat is one of quantity 1. */
export interface PricedPlaces {
  readonly category: Category | null;
  readonly quantity: number;
}

/** The sum of the prices; null when one has none (or there is nothing). */
export function totalOf(items: readonly PricedPlaces[]): Money | null {
  if (items.length === 0) return null;
  let cents = 0;
  let currencyCode: string | null = null;
  for (const { category, quantity } of items) {
    const price = category?.price;
    if (!price || (currencyCode !== null && price.currencyCode !== currencyCode)) return null;
    currencyCode = price.currencyCode;
    cents += centsOf(price) * quantity;
  }
  return currencyCode === null ? null : moneyOf(cents, currencyCode);
}
