// The general admission areas of the seat map: each a block in its place in the house with the
// places left (and the buyer's own), and the picker that adds places of the chosen one to the hold.
import { money } from '/money.js';

const places = (count) => `${count} place${count === 1 ? '' : 's'}`;

/**
 * The event's areas as the seat map shows them. `categories()` answers the event's price
 * categories by key, `held(areaId)` the places of it in the buyer's hold; `lock(areaId, quantity)`
 * adds places (the page runs it as it runs every change of the hold); `say(text)` explains a
 * refusal. `picker` is the form: { form, title, count, add, close }.
 */
export class StandingAreas {
  constructor({ picker, categories, held, lock, say }) {
    this.picker = picker;
    this.categories = categories;
    this.held = held;
    this.areas = new Map();
    this.buttons = new Map();
    /** The area whose picker is open, or null. */
    this.picked = null;
    this.busy = false;
    picker.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const quantity = Number(picker.count.value);
      if (!Number.isInteger(quantity) || quantity < 1) say('Choose how many places: 1 or more.');
      else if (this.picked !== null) lock(this.picked, quantity);
    });
    picker.close.addEventListener('click', () => this.pick(this.picked));
  }

  get size() {
    return this.areas.size;
  }

  /** The event's areas, as the map was read; the blocks are made by `block()` as it is drawn. */
  load(areas) {
    this.areas = new Map(areas.map((area) => [area.id, area]));
    this.buttons.clear();
    if (!this.areas.has(this.picked)) this.picked = null;
    this.renderPicker();
  }

  /** An area as it is after a change (or as a hold's answer has it). */
  update(area) {
    this.areas.set(area.id, { ...this.areas.get(area.id), ...area });
    this.render(area.id);
    if (this.picked === area.id) this.renderPicker();
  }

  name(areaId) {
    return this.areas.get(areaId)?.name ?? areaId;
  }

  categoryKey(areaId) {
    return this.areas.get(areaId)?.category?.key;
  }

  /** Places left in every area together. */
  placesLeft() {
    let left = 0;
    for (const area of this.areas.values()) left += area.available;
    return left;
  }

  /** The block of an area on the map (drawVenue places it). */
  block(area) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.areaId = area.id;
    button.addEventListener('click', () => {
      if (this.areas.get(area.id)?.available > 0 || this.picked === area.id) this.pick(area.id);
    });
    this.buttons.set(area.id, button);
    this.render(area.id);
    return button;
  }

  /** While the hold is being changed, the picker does not add. */
  setBusy(busy) {
    this.busy = busy;
    this.renderPicker();
  }

  renderAll() {
    for (const id of this.buttons.keys()) this.render(id);
    this.renderPicker();
  }

  render(id) {
    const area = this.areas.get(id);
    const button = this.buttons.get(id);
    if (!area || !button) return;
    const category = area.category ? this.categories().get(area.category.key) : null;
    const mine = this.held(id);
    const soldOut = area.available === 0;
    button.className = `area placed-area${soldOut ? ' sold-out' : ''}`;
    if (category) button.style.setProperty('--cat', category.color);
    const name = document.createElement('strong');
    name.textContent = area.name;
    // Its name is what it shows (a name must contain the visible text), the price read out beside it.
    const kind = document.createElement('span');
    kind.className = 'visually-hidden';
    kind.textContent = `, standing${category?.price ? `, ${money(category.price)} each` : ''}:`;
    name.append(kind);
    const left = document.createElement('span');
    left.textContent = soldOut ? 'Sold out' : `${places(area.available)} left`;
    const parts = [name, left];
    if (mine > 0) {
      const held = document.createElement('span');
      held.className = 'mine';
      held.textContent = `✓ ${mine} in your hold`;
      parts.push(held);
    }
    button.replaceChildren(...parts);
    button.removeAttribute('aria-label');
    button.title = `${area.name}${kind.textContent} ${left.textContent}${mine > 0 ? `, ${mine} in your hold` : ''}`;
    button.setAttribute('aria-pressed', String(this.picked === id));
    button.setAttribute('aria-disabled', String(soldOut));
  }

  /** The picker of the area chosen on the map: how many of its places to add to the hold. */
  renderPicker() {
    const area = this.picked === null ? null : this.areas.get(this.picked);
    this.picker.form.hidden = !area;
    if (!area) return;
    const category = area.category ? this.categories().get(area.category.key) : null;
    const price = category?.price ? ` at ${money(category.price)} each` : '';
    this.picker.title.textContent = `${area.name}: ${places(area.available)} left${price}.`;
    this.picker.add.disabled = area.available === 0 || this.busy;
  }

  pick(id) {
    this.picked = this.picked === id ? null : id;
    for (const areaId of this.buttons.keys()) this.render(areaId);
    this.renderPicker();
    if (this.picked !== null) this.picker.count.focus();
  }
}
