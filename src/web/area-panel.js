// The general admission areas of the box office's map: each a block with its counts, live, and
// the panel of the one clicked, where the places held back are set.

/**
 * The shown event's areas as the operator sees them. `view` holds the panel's elements
 * ({ form, title, available, locked, booked, blocked, holdBack, close, message });
 * `colors()` answers the event's category colours by key; `save(areaId, blocked)` sets the
 * places held back and answers the area (or an error with a message); `say(element, text,
 * kind)` shows a message.
 */
export class AreaPanel {
  constructor({ view, colors, save, say }) {
    this.view = view;
    this.colors = colors;
    this.areas = new Map();
    this.buttons = new Map();
    /** The area whose panel is open, or null. */
    this.open = null;
    view.form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const areaId = this.open;
      const blocked = Number(view.holdBack.value);
      try {
        const result = await save(areaId, blocked);
        if (result.__typename !== 'Area') {
          say(view.message, result.message);
          return;
        }
        this.update(result);
        say(view.message, blocked === 0 ? 'Every place is on sale.' : `${blocked} place${blocked === 1 ? ' is' : 's are'} held back.`, 'ok');
      } catch (error) {
        say(view.message, error.message);
      }
    });
    view.close.addEventListener('click', () => this.show(null));
    this.say = say;
  }

  /** The event's areas, as the map was read; the blocks are made by `block()` as it is drawn. */
  load(areas) {
    this.areas = new Map(areas.map((area) => [area.id, area]));
    this.buttons.clear();
    if (!this.areas.has(this.open)) this.show(null);
  }

  /** An area as it is after a change. */
  update(area) {
    this.areas.set(area.id, area);
    this.render(area.id);
  }

  /** The areas' counts in words, for the map's summary. */
  summaries() {
    return [...this.areas.values()].map(
      (area) => `${area.name}: ${area.available} free, ${area.locked} held, ${area.booked} sold, ${area.blocked} held back of ${area.capacity} places`,
    );
  }

  /** The block of an area on the map (drawVenue places it). */
  block(area) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.areaId = area.id;
    button.addEventListener('click', () => this.show(this.open === area.id ? null : area.id));
    this.buttons.set(area.id, button);
    this.render(area.id);
    return button;
  }

  render(id) {
    const area = this.areas.get(id);
    const button = this.buttons.get(id);
    if (!area || !button) return;
    button.className = `area placed-area${area.available === 0 ? ' sold-out' : ''}`;
    const color = area.category ? this.colors().get(area.category.key) : null;
    if (color) button.style.setProperty('--cat', color);
    const name = document.createElement('strong');
    name.textContent = area.name;
    const figures = document.createElement('span');
    figures.textContent = `${area.available} free · ${area.locked} held · ${area.booked} sold${area.blocked > 0 ? ` · ${area.blocked} held back` : ''}`;
    // Its name is what it shows (a name must contain the visible text), the capacity read out beside it.
    const kind = document.createElement('span');
    kind.className = 'visually-hidden';
    kind.textContent = `, standing, ${area.capacity} places:`;
    name.append(kind);
    button.replaceChildren(name, figures);
    button.setAttribute('aria-pressed', String(this.open === id));
    if (this.open === id) this.renderPanel();
  }

  /** Opens the panel of an area (null: closes it). */
  show(id) {
    this.open = id;
    for (const areaId of this.buttons.keys()) this.render(areaId);
    this.view.form.hidden = id === null;
    this.say(this.view.message, '');
    if (id === null) return;
    this.view.holdBack.value = String(this.areas.get(id).blocked);
    this.renderPanel();
    this.view.holdBack.focus();
  }

  renderPanel() {
    const area = this.areas.get(this.open);
    if (!area) return;
    const { view } = this;
    view.title.textContent = `${area.name}: ${area.capacity} places`;
    view.available.textContent = String(area.available);
    view.locked.textContent = String(area.locked);
    view.booked.textContent = String(area.booked);
    view.blocked.textContent = String(area.blocked);
    view.holdBack.max = String(area.capacity);
  }
}
