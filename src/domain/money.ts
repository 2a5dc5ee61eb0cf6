import type { Money } from './model.js';

/** An amount in cents, to add prices exactly: "45.5" is 4550. Amounts have at most 2 places. */
export function centsOf(money: Money): number {
  const [whole = '0', fraction = ''] = money.amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

/** Cents as Money, with two places: 4550 is "45.50". */
export function moneyOf(cents: number, currencyCode: string): Money {
  return { amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`, currencyCode };
}
