// Money as both pages show it: in the browser's locale, in the amount's own currency.

/** `{ amount: "45.00", currencyCode: "EUR" }` as "€45.00" (or as the locale writes it). */
export function money({ amount, currencyCode }) {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currencyCode }).format(Number(amount));
}
