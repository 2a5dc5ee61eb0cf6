// The box office page: plain JavaScript and the browser build of graphql-ws, nothing else.
import { connectLive, LiveMap, postGraphQL } from '/live.js';
// Every document the page sends, from operations/pages/box-office.graphql (checked against the schema).
import * as op from '/operations.js';
import { money } from '/money.js';
import { drawVenue } from '/seat-grid.js';
import { AreaPanel } from '/area-panel.js';

const TOKEN_KEY = 'seatlock.adminToken';
const STATUS_TEXT = { AVAILABLE: 'free', LOCKED: 'held by a buyer', BOOKED: 'sold', BLOCKED: 'not for sale' };

const $ = (id) => document.getElementById(id);
const ui = {
  connection: $('connection'),
  tokenForm: $('token-form'),
  token: $('token'),
  forget: $('forget'),
  tokenState: $('token-state'),
  events: $('events').querySelector('tbody'),
  createForm: $('create-form'),
  layout: $('layout'),
  layoutFile: $('layout-file'),
  createError: $('create-error'),
  event: $('event'),
  eventForm: $('event-form'),
  eventName: $('event-name'),
  sales: $('sales'),
  salesState: $('sales-state'),
  removeBox: $('remove-box'),
  remove: $('remove'),
  eventMessage: $('event-message'),
  block: $('block'),
  unblock: $('unblock'),
  clear: $('clear'),
  counts: $('counts'),
  selection: $('selection'),
  map: $('map'),
  mapMessage: $('map-message'),
  areaForm: $('area-form'),
  areaTitle: $('area-title'),
  areaAvailable: $('area-available'),
  areaLocked: $('area-locked'),
  areaBooked: $('area-booked'),
  areaBlocked: $('area-blocked'),
  areaHoldBack: $('area-hold-back'),
  areaClose: $('area-close'),
  areaMessage: $('area-message'),
  findForm: $('find-form'),
  find: $('find'),
  bookings: $('bookings'),
  bookingsMessage: $('bookings-message'),
  salesPanel: $('sales-panel'),
  salesEvent: $('sales-event'),
  revenue: $('revenue'),
  categorySales: $('category-sales'),
  perMinute: $('per-minute'),
  perMinuteSummary: $('per-minute-summary'),
  perMinuteTop: $('per-minute-top'),
  webhookForm: $('webhook-form'),
  webhookUrl: $('webhook-url'),
  webhookTypes: $('webhook-types'),
  webhookEvents: $('webhook-events'),
  webhookMessage: $('webhook-message'),
  webhookEndpoints: $('webhook-endpoints'),
  roomPanel: $('room-panel'),
  roomEvent: $('room-event'),
  roomWaiting: $('room-waiting'),
  roomServing: $('room-serving'),
  roomAdmitted: $('room-admitted'),
  roomLapsed: $('room-lapsed'),
  roomState: $('room-state'),
  roomForm: $('room-form'),
  roomEnabled: $('room-enabled'),
  roomOpens: $('room-opens'),
  roomRate: $('room-rate'),
  roomMinutes: $('room-minutes'),
  roomPause: $('room-pause'),
  roomMessage: $('room-message'),
};

const state = {
  eventId: null,
  /** The shown event as the events list last read it: name and salesOpen. */
  event: null,
  seats: new Map(),
  buttons: new Map(),
  selected: new Set(),
  /** The shown event's category colours by key. */
  categoryColors: new Map(),
  /** While dragging: select (true) or deselect (false) the seats the pointer crosses. */
  dragSelects: null,
};

const token = () => sessionStorage.getItem(TOKEN_KEY);

async function graphql(query, variables = {}) {
  const result = await postGraphQL(query, variables, token() ? { authorization: `Bearer ${token()}` } : {});
  if (result.errors?.length) {
    const [error] = result.errors;
    throw new Error(error.extensions?.code === 'UNAUTHENTICATED' ? 'The admin token is missing or wrong: enter it above.' : error.message);
  }
  return result.data;
}

function say(element, text, kind = 'error') {
  element.dataset.kind = kind;
  element.textContent = text;
}

// ---- token ------------------------------------------------------------------------------

function renderToken() {
  ui.tokenState.dataset.kind = 'ok';
  ui.tokenState.textContent = token() ? 'Token accepted: kept for this tab.' : 'Enter the admin token to manage events.';
}

/** Asks the server whether a token is its admin token, before it is kept. */
async function tokenIsValid(candidate) {
  const result = await postGraphQL(op.BoxOfficeAdminAccess, {}, { authorization: `Bearer ${candidate}` });
  if (result.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) return false;
  if (result.errors?.length) throw new Error(result.errors[0].message);
  return result.data?.adminAccess === true;
}

function refuseToken(text) {
  sessionStorage.removeItem(TOKEN_KEY);
  ui.token.setAttribute('aria-invalid', 'true');
  say(ui.tokenState, text);
  renderSales(null);
}

ui.tokenForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const candidate = ui.token.value.trim();
  try {
    if (!(await tokenIsValid(candidate))) return refuseToken('That is not this server’s admin token (ADMIN_TOKEN). Nothing was kept.');
  } catch (error) {
    return say(ui.tokenState, `Could not check the token: ${error.message}`);
  }
  sessionStorage.setItem(TOKEN_KEY, candidate);
  ui.token.value = '';
  ui.token.removeAttribute('aria-invalid');
  renderToken();
  void refreshEvents()
    .then(() => refreshSales())
    .catch((error) => say(ui.mapMessage, error.message));
  void refreshWebhooks();
});
ui.forget.addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  renderToken();
  renderSales(null);
});

// ---- events -----------------------------------------------------------------------------

async function refreshEvents(select) {
  const { events } = await graphql(op.BoxOfficeEvents);
  ui.events.replaceChildren(
    ...events.map((event) => {
      const row = document.createElement('tr');
      const { available, locked, booked, blocked, total } = event.counts;
      const sales = event.salesOpen ? 'open' : 'closed';
      for (const [index, value] of [`${event.name} (${event.id})`, available, locked, booked, blocked, total, sales].entries()) {
        const cell = document.createElement(index === 0 ? 'th' : 'td');
        if (index === 0) cell.scope = 'row';
        cell.textContent = String(value);
        row.append(cell);
      }
      return row;
    }),
  );
  const current = select ?? state.eventId ?? events[0]?.id ?? null;
  ui.event.replaceChildren(
    ...events.map((event) => {
      const option = document.createElement('option');
      option.value = event.id;
      option.textContent = event.name;
      option.selected = event.id === current;
      return option;
    }),
  );
  const shown = events.find((event) => event.id === current) ?? null;
  if (shown) renderEvent(shown);
  ui.eventForm.hidden = shown === null;
  if (!current) {
    map.stop();
    ui.map.replaceChildren();
  }
  if (current && current !== state.eventId) await showEvent(current);
}

// ---- waiting room -------------------------------------------------------------------------

/** The shown event's room as last read (null: none configured). */
let room = null;

async function refreshRoom() {
  ui.roomPanel.hidden = !token() || !state.eventId;
  if (ui.roomPanel.hidden) return;
  const { event } = await graphql(op.BoxOfficeWaitingRoom, { id: state.eventId });
  renderRoom(event?.waitingRoom ?? null);
}

/** A local date-time for an input of type datetime-local. */
function localInput(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function renderRoom(next) {
  room = next;
  ui.roomEvent.textContent = state.event ? `— ${state.event.name}` : '';
  const figure = (value) => (room ? value.toLocaleString() : '–');
  ui.roomWaiting.textContent = figure(room?.waiting ?? 0);
  ui.roomServing.textContent = figure(room?.nowServing ?? 0);
  ui.roomAdmitted.textContent = figure(room?.admitted ?? 0);
  ui.roomLapsed.textContent = figure(room?.lapsed ?? 0);
  const opensAt = room ? new Date(room.opensAt) : null;
  const opened = opensAt !== null && opensAt.getTime() <= Date.now();
  ui.roomState.dataset.state = !room?.enabled ? 'off' : room.paused ? 'paused' : 'on';
  ui.roomState.textContent = !room
    ? 'No waiting room: buyers lock seats directly.'
    : !room.enabled
      ? 'Off: buyers lock seats directly. Tickets keep their places for when it is on again.'
      : room.paused
        ? `Paused: nobody is let in until you resume (${room.admitPerMinute} a minute then).`
        : opened
          ? `On: letting in ${room.admitPerMinute} a minute; each has ${Math.round(room.admissionSeconds / 60)} minutes to choose.`
          : `On: the line opens ${opensAt.toLocaleString()}; everyone in it before then gets a random place.`;
  ui.roomPause.hidden = !room?.enabled;
  ui.roomPause.textContent = room?.paused ? 'Resume' : 'Pause';
  // Once the line opened its places are given: the time can no longer move.
  ui.roomOpens.disabled = opened;
  ui.roomOpens.title = opened ? 'The line has opened: its places are given.' : '';
  if (opened) ui.roomOpens.value = '';
  // Settings being typed into are left alone; the figures move on.
  if (ui.roomForm.contains(document.activeElement)) return;
  ui.roomEnabled.checked = room?.enabled ?? false;
  ui.roomRate.value = String(room?.admitPerMinute ?? 100);
  ui.roomMinutes.value = String(Math.round((room?.admissionSeconds ?? 600) / 60));
  ui.roomOpens.value = opensAt && !opened ? localInput(opensAt) : '';
}

async function configureRoom(input) {
  const { configureWaitingRoom: result } = await graphql(op.BoxOfficeConfigureWaitingRoom, { e: state.eventId, input });
  if (result.__typename !== 'WaitingRoom') return say(ui.roomMessage, result.message);
  say(ui.roomMessage, 'Saved.', 'ok');
  renderRoom(result);
}

ui.roomForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const opened = room !== null && new Date(room.opensAt).getTime() <= Date.now();
  const input = {
    enabled: ui.roomEnabled.checked,
    admitPerMinute: Number(ui.roomRate.value),
    admissionSeconds: Number(ui.roomMinutes.value) * 60,
  };
  // A new room without a time opens now; an opened one keeps its time.
  if (ui.roomOpens.value) input.opensAt = new Date(ui.roomOpens.value).toISOString();
  else if (!opened) input.opensAt = null;
  void configureRoom(input).catch((error) => say(ui.roomMessage, error.message));
});

ui.roomPause.addEventListener('click', () => {
  if (!room) return;
  void configureRoom({ enabled: room.enabled, admitPerMinute: room.admitPerMinute, paused: !room.paused }).catch((error) => say(ui.roomMessage, error.message));
});

// ---- sales at a glance ------------------------------------------------------------------

async function refreshSales() {
  if (!token() || !state.eventId) return renderSales(null);
  const { event } = await graphql(op.BoxOfficeSales, { id: state.eventId });
  renderSales(event);
}

/** One bar per price category (sold, held, free, not for sale) and a chart of bookings per minute. */
function renderSales(event) {
  ui.salesPanel.hidden = !event;
  if (!event) return;
  const { sales } = event;
  ui.salesEvent.textContent = `· ${state.event?.name ?? event.id}`;
  const sold = sales.categories.reduce((sum, entry) => sum + entry.booked, 0);
  const seats = sales.categories.reduce((sum, entry) => sum + entry.available + entry.locked + entry.booked + entry.blocked, 0);
  ui.revenue.textContent = `${sales.revenue ? `${money(sales.revenue)} from ` : ''}${sold} of ${seats} seats sold`;
  ui.categorySales.replaceChildren(
    ...sales.categories.map((entry) => {
      const item = document.createElement('li');
      const total = entry.available + entry.locked + entry.booked + entry.blocked;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = entry.category?.label ?? 'No category';
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.setProperty('--cat', entry.category?.color ?? '#607d8b');
      for (const [kind, count] of [
        ['sold', entry.booked],
        ['held', entry.locked],
        ['free', entry.available],
        ['blocked', entry.blocked],
      ]) {
        if (count === 0) continue;
        const part = document.createElement('span');
        part.className = kind;
        part.style.flexGrow = String(count);
        bar.append(part);
      }
      const figures = document.createElement('span');
      figures.className = 'figures';
      const offSale = entry.blocked > 0 ? ` · ${entry.blocked} not for sale` : '';
      figures.textContent = `${entry.booked} sold · ${entry.locked} held · ${entry.available} free${offSale} of ${total}${entry.revenue ? ` · ${money(entry.revenue)}` : ''}`;
      item.append(name, bar, figures);
      return item;
    }),
  );
  renderPerMinute(sales.bookingsPerMinute);
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Plain SVG bars, one per minute, the current minute on the right. */
function renderPerMinute(minutes) {
  const width = 600;
  const height = 140;
  const base = height - 1;
  const most = Math.max(1, ...minutes.map((minute) => minute.bookings));
  const step = width / minutes.length;
  const parts = [svg('title', {}, 'Bookings per minute, the last hour'), svg('line', { x1: 0, y1: base + 0.5, x2: width, y2: base + 0.5, class: 'axis' })];
  minutes.forEach((minute, index) => {
    if (minute.bookings === 0) return;
    const barHeight = ((base - 4) * minute.bookings) / most;
    const bar = svg('rect', { x: index * step + 1, y: base - barHeight, width: Math.max(1, step - 2), height: barHeight, class: 'minute' });
    bar.append(
      svg(
        'title',
        {},
        `${new Date(minute.startsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${minute.bookings} booking${minute.bookings === 1 ? '' : 's'}, ${minute.seats} seat${minute.seats === 1 ? '' : 's'}`,
      ),
    );
    parts.push(bar);
  });
  ui.perMinute.replaceChildren(...parts);
  ui.perMinuteTop.textContent = `${most} a minute`;
  const bookings = minutes.reduce((sum, minute) => sum + minute.bookings, 0);
  const seats = minutes.reduce((sum, minute) => sum + minute.seats, 0);
  const lastMinute = minutes.at(-1)?.bookings ?? 0;
  ui.perMinuteSummary.textContent = `${bookings} booking${bookings === 1 ? '' : 's'} (${seats} seat${seats === 1 ? '' : 's'}) in the last hour; ${lastMinute} this minute.`;
}

// ---- the shown event: rename, sales, removal --------------------------------------------

function renderEvent(event) {
  const renamed = state.event?.id !== event.id || state.event?.name !== event.name;
  state.event = event;
  // Keep what the operator is typing; take the name when it changed under them.
  if (renamed && document.activeElement !== ui.eventName) ui.eventName.value = event.name;
  ui.sales.textContent = event.salesOpen ? 'Close sales' : 'Open sales';
  ui.salesState.textContent = event.salesOpen ? 'Sales are open.' : 'Sales are closed: buyers cannot lock seats.';
  ui.salesState.dataset.open = String(event.salesOpen);
}

async function updateEvent(variables, done) {
  try {
    const data = await graphql(op.BoxOfficeUpdateEvent, { e: state.eventId, ...variables });
    const result = data.updateEvent;
    if (result.__typename !== 'Event') throw new Error(result.message);
    say(ui.eventMessage, done(result), 'ok');
    await refreshEvents(result.id);
  } catch (error) {
    say(ui.eventMessage, error.message);
  }
}

ui.eventForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void updateEvent({ n: ui.eventName.value }, (result) => `Renamed to “${result.name}”.`);
});
ui.sales.addEventListener('click', () => {
  const open = !state.event?.salesOpen;
  void updateEvent({ o: open }, () => (open ? 'Sales are open again.' : 'Sales closed: holds made before can still be confirmed.'));
});

/** "Remove event…", then an explicit confirmation naming the event. */
ui.remove.addEventListener('click', () => {
  const event = state.event;
  if (!event) return;
  const confirm = document.createElement('button');
  confirm.type = 'button';
  confirm.textContent = `Yes, remove “${event.name}”`;
  const keep = document.createElement('button');
  keep.type = 'button';
  keep.textContent = 'Keep it';
  const restore = () => {
    ui.removeBox.replaceChildren(ui.remove);
    ui.remove.focus();
  };
  keep.addEventListener('click', restore);
  confirm.addEventListener('click', async () => {
    try {
      const data = await graphql(op.BoxOfficeRemoveEvent, {
        e: event.id,
      });
      const result = data.removeEvent;
      if (result.__typename !== 'EventRemoval') throw new Error(result.message);
      ui.removeBox.replaceChildren(ui.remove);
      state.eventId = null;
      state.event = null;
      say(ui.eventMessage, `Removed “${result.name}”.`, 'ok');
      await refreshEvents();
    } catch (error) {
      restore();
      say(ui.eventMessage, error.message);
    }
  });
  ui.removeBox.replaceChildren(confirm, keep);
  confirm.focus();
});

/** The layouts in the text: one event, or every event of an EVENTS_FILE document. */
function layoutsOf(text) {
  const value = JSON.parse(text);
  return Array.isArray(value?.events) ? value.events : [value];
}

ui.layoutFile.addEventListener('change', async () => {
  const file = ui.layoutFile.files?.[0];
  if (file) ui.layout.value = await file.text();
});

ui.createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  ui.layout.removeAttribute('aria-invalid');
  say(ui.createError, '');
  let layouts;
  try {
    layouts = layoutsOf(ui.layout.value);
  } catch (error) {
    ui.layout.setAttribute('aria-invalid', 'true');
    say(ui.createError, `Not valid JSON: ${error.message}`);
    return;
  }
  try {
    const created = [];
    for (const [index, input] of layouts.entries()) {
      const { createEvent } = await graphql(op.BoxOfficeCreateEvent, { input });
      if (createEvent.__typename !== 'Event') {
        ui.layout.setAttribute('aria-invalid', 'true');
        // The message names the failing entry ("input.sections[0].rows[1].row …"); say which event too.
        const where = layouts.length > 1 ? `events[${index}]: ` : '';
        say(ui.createError, `${where}${createEvent.message}`);
        break;
      }
      created.push(createEvent);
    }
    if (created.length > 0) {
      say(ui.createError, `Created ${created.map((made) => made.name).join(', ')}.`, 'ok');
      await refreshEvents(created.at(-1).id);
    }
  } catch (error) {
    say(ui.createError, error.message);
  }
});

// ---- the map ----------------------------------------------------------------------------

function renderSeat(id) {
  const seat = state.seats.get(id);
  const button = state.buttons.get(id);
  if (!seat || !button) return;
  const selected = state.selected.has(id);
  button.className = `seat placed ${seat.status.toLowerCase()}${selected ? ' selected' : ''}${seat.accessible ? ' accessible' : ''}${seat.companion ? ' companion' : ''}`;
  const color = seat.category ? state.categoryColors.get(seat.category.key) : undefined;
  if (color) button.style.setProperty('--cat', color);
  button.dataset.status = seat.status;
  button.setAttribute('aria-pressed', String(selected));
  button.setAttribute('aria-label', `Seat ${seat.label}${seat.section ? `, ${seat.section}` : ''}: ${STATUS_TEXT[seat.status]}${selected ? ', selected' : ''}`);
}

function renderCounts() {
  const counts = { AVAILABLE: 0, LOCKED: 0, BOOKED: 0, BLOCKED: 0 };
  for (const seat of state.seats.values()) counts[seat.status] += 1;
  ui.counts.textContent = [
    state.seats.size > 0
      ? `${counts.AVAILABLE} free, ${counts.LOCKED} held, ${counts.BOOKED} sold, ${counts.BLOCKED} not for sale of ${state.seats.size} seats`
      : null,
    ...areas.summaries(),
  ]
    .filter(Boolean)
    .join('. ');
}

/** The shown event's standing areas: their blocks on the map, and the panel of the one clicked. */
const areas = new AreaPanel({
  view: {
    form: ui.areaForm,
    title: ui.areaTitle,
    available: ui.areaAvailable,
    locked: ui.areaLocked,
    booked: ui.areaBooked,
    blocked: ui.areaBlocked,
    holdBack: ui.areaHoldBack,
    close: ui.areaClose,
    message: ui.areaMessage,
  },
  colors: () => state.categoryColors,
  save: async (areaId, blocked) => {
    const { setAreaBlocked } = await graphql(op.BoxOfficeSetAreaBlocked, { e: state.eventId, r: areaId, n: blocked });
    if (setAreaBlocked.__typename === 'Area') renderCounts();
    return setAreaBlocked;
  },
  say,
});

function renderSelection() {
  const labels = [...state.selected].map((id) => state.seats.get(id)?.label ?? id);
  ui.selection.textContent = labels.length === 0 ? 'No seats selected.' : `${labels.length} selected: ${labels.join(', ')}`;
  for (const button of [ui.block, ui.unblock, ui.clear]) button.disabled = labels.length === 0;
}

function select(id, on) {
  if (on) state.selected.add(id);
  else state.selected.delete(id);
  renderSeat(id);
  renderSelection();
}

function makeSeat(seat) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = seat.label;
  button.dataset.seatId = seat.id;
  // Keyboard and click: toggle one seat. Dragging with a pointer paints a range.
  button.addEventListener('click', (event) => {
    if (event.detail === 0) select(seat.id, !state.selected.has(seat.id));
  });
  button.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    state.dragSelects = !state.selected.has(seat.id);
    select(seat.id, state.dragSelects);
  });
  button.addEventListener('pointerenter', () => {
    if (state.dragSelects !== null) select(seat.id, state.dragSelects);
  });
  state.buttons.set(seat.id, button);
  renderSeat(seat.id);
  return button;
}
document.addEventListener('pointerup', () => (state.dragSelects = null));
// A touch drag keeps its pointer on the first seat: find the seat under the finger instead.
ui.map.addEventListener('pointermove', (event) => {
  if (state.dragSelects === null || event.pointerType === 'mouse') return;
  const id = document.elementFromPoint(event.clientX, event.clientY)?.closest?.('[data-seat-id]')?.dataset.seatId;
  if (id) select(id, state.dragSelects);
});

/** Seat widths in px: the map's own size, and the smallest a finger can still tap. */
const SEAT_PX = { full: 38, smallest: 12 };

/**
 * The whole width of the house in the map's box (a phone's is narrower than most houses): seats
 * shrink to fit, down to what a finger can tap. A house wider even then pans by touch, which
 * leaves painting a range to a mouse or a pen (a tap still selects one seat).
 */
function fitMap() {
  const venue = ui.map.querySelector('.venue');
  const width = Number(venue?.style.getPropertyValue('--width')) || 1;
  const fitting = (ui.map.clientWidth - 4) / width;
  const unit = Math.max(SEAT_PX.smallest, Math.min(SEAT_PX.full, fitting));
  ui.map.style.setProperty('--unit', `${unit}px`);
  ui.map.dataset.pans = String(fitting < SEAT_PX.smallest);
}

let refitting = null;
window.addEventListener('resize', () => {
  clearTimeout(refitting);
  refitting = setTimeout(fitMap, 150);
});

const map = new LiveMap({
  subscriptions: [op.BoxOfficeChanges, op.BoxOfficeAreaChanges],
  load: async () => {
    const { event } = await graphql(op.BoxOfficeEvent, {
      id: state.eventId,
    });
    state.seats = new Map(event.seats.map((seat) => [seat.id, seat]));
    state.categoryColors = new Map(event.categories.map((category) => [category.key, category.color]));
    state.buttons.clear();
    areas.load(event.areas);
    drawVenue(ui.map, event, event.seats, makeSeat, event.areas, (area) => areas.block(area));
    fitMap();
    renderCounts();
    renderSelection();
    return event.version;
  },
  apply: (change, field) => {
    if (field === 'areaChanged') {
      areas.update(change.area);
    } else {
      state.seats.set(change.seat.id, change.seat);
      renderSeat(change.seat.id);
    }
    renderCounts();
    scheduleEventsRefresh();
  },
  onError: (error) => say(ui.mapMessage, error.message),
});

let eventsRefresh = null;
/** The events table follows the map's changes, at most a few times a second. */
function scheduleEventsRefresh() {
  if (eventsRefresh !== null) return;
  eventsRefresh = setTimeout(() => {
    eventsRefresh = null;
    void refreshEvents().catch(() => {});
    void refreshSales().catch(() => {});
  }, 300);
}

async function applyToSelection(mutation) {
  const seatIds = [...state.selected];
  const field = mutation === 'block' ? 'blockSeats' : 'unblockSeats';
  try {
    const data = await graphql(mutation === 'block' ? op.BoxOfficeBlockSeats : op.BoxOfficeUnblockSeats, {
      e: state.eventId,
      s: seatIds,
    });
    const result = data[field];
    if (result.__typename !== 'SeatBlock') {
      say(ui.mapMessage, result.message);
      return;
    }
    state.selected.clear();
    for (const id of seatIds) renderSeat(id);
    renderSelection();
    say(ui.mapMessage, `${mutation === 'block' ? 'Blocked' : 'Unblocked'} ${seatIds.length} seat${seatIds.length === 1 ? '' : 's'}.`, 'ok');
  } catch (error) {
    say(ui.mapMessage, error.message);
  }
}
ui.block.addEventListener('click', () => void applyToSelection('block'));
ui.unblock.addEventListener('click', () => void applyToSelection('unblock'));
ui.clear.addEventListener('click', () => {
  const ids = [...state.selected];
  state.selected.clear();
  for (const id of ids) renderSeat(id);
  renderSelection();
});

// ---- bookings ---------------------------------------------------------------------------

function renderBookings(bookings) {
  ui.bookings.replaceChildren(
    ...bookings.map((booking) => {
      const item = document.createElement('li');
      const id = document.createElement('code');
      id.textContent = booking.id;
      const status = document.createElement('span');
      status.className = `status-${booking.status}`;
      status.textContent = booking.status;
      const details = document.createElement('span');
      details.textContent = `${booking.eventId} · ${booking.seats.map((seat) => seat.label).join(', ')} · order ${booking.orderId ?? '—'} · ${new Date(booking.confirmedAt).toLocaleString()}`;
      item.append(id, status, details);
      if (booking.status === 'CONFIRMED') item.append(cancelControl(booking));
      return item;
    }),
  );
}

/** "Cancel…", then an explicit confirmation: a cancelled booking gives its seats back for sale. */
function cancelControl(booking) {
  const box = document.createElement('span');
  box.className = 'actions';
  const ask = document.createElement('button');
  ask.type = 'button';
  ask.textContent = 'Cancel…';
  ask.addEventListener('click', () => {
    const confirm = document.createElement('button');
    confirm.type = 'button';
    confirm.textContent = `Yes, cancel and free ${booking.seats.length} seat${booking.seats.length === 1 ? '' : 's'}`;
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.textContent = 'Keep it';
    keep.addEventListener('click', () => box.replaceChildren(ask));
    confirm.addEventListener('click', async () => {
      try {
        const { cancelBooking } = await graphql(op.BoxOfficeCancelBooking, {
          id: booking.id,
        });
        if (cancelBooking.__typename !== 'Booking') throw new Error(cancelBooking.message);
        say(ui.bookingsMessage, `Cancelled ${cancelBooking.id}; its seats are on sale again.`, 'ok');
        await findBookings(ui.find.value.trim());
      } catch (error) {
        say(ui.bookingsMessage, error.message);
      }
    });
    box.replaceChildren(confirm, keep);
    confirm.focus();
  });
  box.append(ask);
  return box;
}

/** A booking id is global ("<event>.<random>"); an order id is looked up in every event. */
async function findBookings(term) {
  say(ui.bookingsMessage, '');
  let bookings = [];
  if (term.includes('.')) {
    const { booking } = await graphql(op.BoxOfficeBookingById, { id: term });
    if (booking) bookings = [booking];
  }
  if (bookings.length === 0) bookings = (await graphql(op.BoxOfficeOrderBookings, { o: term })).bookings;
  renderBookings(bookings);
  if (bookings.length === 0) say(ui.bookingsMessage, `No booking has the id or order id "${term}", in any event.`);
}

ui.findForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void findBookings(ui.find.value.trim()).catch((error) => say(ui.bookingsMessage, error.message));
});

// ---- webhooks ---------------------------------------------------------------------------

/** A comma-separated list, or null for "all" (left empty, or the word all). */
function listOrAll(text) {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length === 0 || (items.length === 1 && items[0].toLowerCase() === 'all') ? null : items;
}

function button(text, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

async function refreshWebhooks() {
  if (!token()) return ui.webhookEndpoints.replaceChildren();
  let webhooks;
  try {
    ({ webhooks } = await graphql(op.BoxOfficeWebhooks));
  } catch (error) {
    ui.webhookForm.hidden = true;
    return say(ui.webhookMessage, error.message);
  }
  ui.webhookForm.hidden = false;
  ui.webhookEndpoints.replaceChildren(...webhooks.map(renderEndpoint));
  if (webhooks.length === 0) ui.webhookEndpoints.append(Object.assign(document.createElement('li'), { className: 'hint', textContent: 'No endpoint yet.' }));
}

function renderEndpoint(endpoint) {
  const item = document.createElement('li');
  item.dataset.endpointId = endpoint.id;
  const url = document.createElement('code');
  url.textContent = endpoint.url;
  const state = document.createElement('span');
  state.className = endpoint.enabled ? 'endpoint-on' : 'endpoint-off';
  state.textContent = endpoint.enabled ? 'enabled' : `disabled: ${endpoint.disabledReason ?? ''}`;
  const filters = document.createElement('span');
  filters.className = 'hint';
  filters.textContent = `${endpoint.types?.join(', ') ?? 'every type'} · ${endpoint.eventIds?.join(', ') ?? 'every event'}`;
  const deliveries = document.createElement('div');
  deliveries.className = 'deliveries';
  const actions = document.createElement('span');
  actions.className = 'actions';
  const show = button('Deliveries', () => void showDeliveries(endpoint.id, deliveries));
  const remove = button('Delete…', () => {
    actions.replaceChildren(
      button('Yes, stop deliveries and delete it', async () => {
        try {
          const { deleteWebhook } = await graphql(op.BoxOfficeDeleteWebhook, { id: endpoint.id });
          if (deleteWebhook.__typename !== 'WebhookEndpoint') throw new Error(deleteWebhook.message);
          say(ui.webhookMessage, `Deleted the endpoint ${endpoint.url}.`, 'ok');
          await refreshWebhooks();
        } catch (error) {
          say(ui.webhookMessage, error.message);
        }
      }),
      button('Keep it', () => actions.replaceChildren(show, remove)),
    );
  });
  actions.append(show, remove);
  item.append(url, state, filters, actions, deliveries);
  return item;
}

/** The endpoint's last 20 deliveries, failures first to the eye, each with Redeliver. */
async function showDeliveries(endpointId, container) {
  try {
    const { webhookDeliveries } = await graphql(op.BoxOfficeWebhookDeliveries, { id: endpointId });
    if (webhookDeliveries.length === 0)
      return container.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'No deliveries yet.' }));
    const table = document.createElement('table');
    table.innerHTML =
      '<thead><tr><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Tries</th><th scope="col">Last answer</th><th scope="col">Next try</th><th scope="col"></th></tr></thead>';
    const body = document.createElement('tbody');
    for (const delivery of webhookDeliveries) {
      const row = document.createElement('tr');
      row.dataset.status = delivery.status;
      const cells = [
        `${delivery.type} · ${delivery.eventId}`,
        delivery.status,
        String(delivery.attempts),
        delivery.lastError ?? (delivery.lastStatusCode === null ? '—' : String(delivery.lastStatusCode)),
        delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toLocaleTimeString() : '—',
      ];
      for (const text of cells) row.append(Object.assign(document.createElement('td'), { textContent: text }));
      const redeliver = button('Redeliver', async () => {
        try {
          const { redeliverWebhookMessage } = await graphql(op.BoxOfficeRedeliver, { e: endpointId, m: delivery.messageId });
          if (redeliverWebhookMessage.__typename !== 'WebhookDelivery') throw new Error(redeliverWebhookMessage.message);
          say(ui.webhookMessage, `Sending ${delivery.type} again (same webhook-id ${delivery.messageId}).`, 'ok');
          setTimeout(() => void showDeliveries(endpointId, container), 1_000);
        } catch (error) {
          say(ui.webhookMessage, error.message);
        }
      });
      const cell = document.createElement('td');
      cell.append(redeliver);
      row.append(cell);
      body.append(row);
    }
    table.append(body);
    container.replaceChildren(table);
  } catch (error) {
    say(ui.webhookMessage, error.message);
  }
}

ui.webhookForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  say(ui.webhookMessage, '');
  try {
    const { createWebhook } = await graphql(op.BoxOfficeCreateWebhook, {
      input: { url: ui.webhookUrl.value.trim(), types: listOrAll(ui.webhookTypes.value), eventIds: listOrAll(ui.webhookEvents.value) },
    });
    if (createWebhook.__typename !== 'WebhookEndpoint') throw new Error(createWebhook.message);
    say(ui.webhookMessage, `Added. Its signing secret, shown only now: ${createWebhook.secret}`, 'ok');
    ui.webhookForm.reset();
    await refreshWebhooks();
  } catch (error) {
    say(ui.webhookMessage, error.message);
  }
});

// ---- live changes -----------------------------------------------------------------------

map.client = connectLive(ui.connection, { onClosed: () => map.stop(), onReconnected: () => map.resume() });

async function showEvent(eventId) {
  state.eventId = eventId;
  state.selected.clear();
  await map.show(eventId);
  await refreshSales().catch((error) => say(ui.mapMessage, error.message));
  await refreshRoom().catch((error) => say(ui.roomMessage, error.message));
}
ui.event.addEventListener('change', () => {
  say(ui.eventMessage, '');
  void refreshEvents(ui.event.value).catch((error) => say(ui.mapMessage, error.message));
});

renderSelection();
renderToken();
// A token kept from earlier in this tab is checked again: the server may have a new one.
if (token()) {
  void tokenIsValid(token())
    .then((valid) => (valid ? undefined : refuseToken('The kept token is no longer this server’s admin token; enter it again.')))
    .catch(() => {});
}
void refreshEvents().catch((error) => say(ui.mapMessage, error.message));
void refreshWebhooks();
// The line moves by itself: its figures are read again every two seconds.
setInterval(() => void refreshRoom().catch(() => {}), 2_000);
// The minutes move on even when nothing sells.
setInterval(() => void refreshSales().catch(() => {}), 30_000);
