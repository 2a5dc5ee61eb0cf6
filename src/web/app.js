// The live seat map: plain JavaScript and the browser build of graphql-ws, nothing else.
import { connectLive, LiveMap, postGraphQL } from '/live.js';
// Every document the page sends, from operations/pages/seat-map.graphql (checked against the schema).
import * as op from '/operations.js';
import { money } from '/money.js';
import { drawVenue } from '/seat-grid.js';
import { admissionText, WaitingLine } from '/queue.js';
import { StandingAreas } from '/standing-areas.js';

/** Seat widths in px the map starts at, and its limits. */
const ZOOM = { start: 38, min: 8, max: 64, step: 1.25 };
/** A phone: the options fold away and the hold is a bar at the bottom (as app.css has it). */
const PHONE = matchMedia('(max-width: 50rem)');

const $ = (id) => document.getElementById(id);
const ui = {
  event: $('event'),
  connection: $('connection'),
  counts: $('counts'),
  salesClosed: $('sales-closed'),
  map: $('map'),
  priceLegend: $('price-legend'),
  zoomIn: $('zoom-in'),
  zoomOut: $('zoom-out'),
  zoomFit: $('zoom-fit'),
  holdSummary: $('hold-summary'),
  holdTotal: $('hold-total'),
  countdown: $('countdown'),
  confirm: $('confirm'),
  extend: $('extend'),
  release: $('release'),
  message: $('message'),
  bestForm: $('best-form'),
  bestCount: $('best-count'),
  bestSection: $('best-section'),
  bestCategory: $('best-category'),
  options: $('options'),
  holdPanel: $('hold-panel'),
  main: $('main'),
  queue: $('queue'),
  admission: $('admission'),
  placesForm: $('places-form'),
  placesArea: $('places-area'),
  placesCount: $('places-count'),
  placesAdd: $('places-add'),
  placesClose: $('places-close'),
  legendArea: $('legend-area'),
};

const state = {
  eventId: null,
  seats: new Map(),
  buttons: new Map(),
  /** { token, expiresAt: Date, maxExpiresAt: Date, seatIds: Set, places: Map(areaId → quantity) } of this buyer, or null. */
  hold: null,
  busy: false,
  /** The event's price categories by key. */
  categories: new Map(),
  /** Seats the message on screen is about: it goes when one of them changes. */
  messageSeatIds: new Set(),
};

async function graphql(query, variables = {}) {
  const result = await postGraphQL(query, variables);
  if (result.errors?.length) throw new Error(result.errors[0].message);
  return result.data;
}

function say(text, kind = 'error', seatIds = []) {
  ui.message.dataset.kind = kind;
  ui.message.textContent = text;
  state.messageSeatIds = new Set(seatIds);
}

/** The event's standing areas: their blocks on the map, and the picker that adds their places. */
const areas = new StandingAreas({
  picker: { form: ui.placesForm, title: ui.placesArea, count: ui.placesCount, add: ui.placesAdd, close: ui.placesClose },
  categories: () => state.categories,
  held: (areaId) => state.hold?.places.get(areaId) ?? 0,
  lock: (areaId, quantity) => act(() => lockPlaces(areaId, quantity)),
  say: (text) => say(text),
});

// ---- hold -------------------------------------------------------------------------------

const storageKey = () => `seatlock.hold.${state.eventId}`;

function setHold(hold) {
  if (hold?.status !== 'ACTIVE') {
    state.hold = null;
    sessionStorage.removeItem(storageKey());
  } else {
    state.hold = {
      token: hold.token,
      expiresAt: new Date(hold.expiresAt),
      maxExpiresAt: new Date(hold.maxExpiresAt),
      seatIds: new Set(hold.seats.filter((seat) => seat.status === 'LOCKED').map((seat) => seat.id)),
      places: new Map(hold.areaPlaces.map((places) => [places.area.id, places.quantity])),
    };
    sessionStorage.setItem(storageKey(), hold.token);
    for (const seat of hold.seats) state.seats.set(seat.id, seat);
    for (const { area } of hold.areaPlaces) areas.update(area);
  }
  for (const id of state.buttons.keys()) renderSeat(id);
  areas.renderAll();
  renderHold();
}

function renderHold() {
  const hold = state.hold;
  const labels = hold ? [...hold.seatIds].map((id) => state.seats.get(id)?.label ?? id) : [];
  const places = hold ? [...hold.places].map(([id, quantity]) => `${quantity} place${quantity === 1 ? '' : 's'} in ${areas.name(id)}`) : [];
  const seatText = labels.length ? `${labels.length} seat${labels.length === 1 ? '' : 's'} held: ${labels.join(', ')}` : '';
  const placeText = places.join(', ');
  ui.holdSummary.textContent =
    seatText && placeText ? `${seatText}; and ${placeText}` : seatText || (placeText ? `Held: ${placeText}` : 'No seats held. Choose free seats on the map.');
  const total = hold ? totalOf(hold.seatIds, hold.places) : null;
  ui.holdTotal.textContent = total && (labels.length > 0 || places.length > 0) ? `Total ${money(total)}` : '';
  ui.confirm.disabled = !hold || (labels.length === 0 && places.length === 0) || state.busy;
  ui.release.disabled = !hold || state.busy;
  ui.extend.disabled = !hold || state.busy || hold.expiresAt.getTime() >= hold.maxExpiresAt.getTime();
  areas.setBusy(state.busy);
  renderCountdown();
}

/**
 * The price of the seats and places, as Hold.total sums it: null when one has no price. Summed
 * here from what the page knows is in the hold, so giving a seat back (or losing one to the box
 * office) changes it at once without another request. Cents, to add decimals exactly.
 */
function totalOf(seatIds, places) {
  const items = [
    ...[...seatIds].map((id) => ({ key: state.seats.get(id)?.category?.key, quantity: 1 })),
    ...[...places].map(([id, quantity]) => ({ key: areas.categoryKey(id), quantity })),
  ];
  let cents = 0;
  let currencyCode = null;
  for (const { key, quantity } of items) {
    const price = key ? state.categories.get(key)?.price : null;
    if (!price) return null;
    const [whole, fraction = ''] = price.amount.split('.');
    cents += (Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2))) * quantity;
    currencyCode = price.currencyCode;
  }
  return currencyCode ? { amount: (cents / 100).toFixed(2), currencyCode } : null;
}

function renderCountdown() {
  ui.admission.textContent = line ? admissionText(line.secondsLeft()) : '';
  const hold = state.hold;
  if (!hold) {
    ui.countdown.textContent = '';
    return;
  }
  const left = Math.max(0, Math.ceil((hold.expiresAt.getTime() - Date.now()) / 1000));
  ui.countdown.textContent = `Hold expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  if (left === 0) {
    say('Your hold expired and its seats were given back.');
    setHold(null);
  }
}

async function restoreHold() {
  const token = sessionStorage.getItem(storageKey());
  if (!token) return setHold(null);
  const { hold } = await graphql(op.SeatMapHoldByToken, { token });
  if (!hold && state.hold) say('Your hold is no longer known to the server; choose your seats again.');
  setHold(hold);
}

/** Runs a mutation of the hold, showing its typed error (if any) and what it did. */
async function act(run) {
  state.busy = true;
  renderHold();
  try {
    await run();
  } catch (error) {
    say(`Something went wrong: ${error.message}`);
  } finally {
    state.busy = false;
    renderHold();
  }
}

function explain(result) {
  switch (result.__typename) {
    case 'SeatUnavailableError':
      return 'Sorry, that seat was just taken by someone else.';
    case 'HoldLimitError':
      return `A hold can have at most ${result.maxSeats} seats and places.`;
    case 'HoldExpiredError':
      return 'Your hold expired and its seats were given back. Choose your seats again.';
    case 'HoldNotFoundError':
    case 'HoldClosedError':
      return 'That hold is over. Choose your seats again.';
    case 'SalesClosedError':
      return 'Sales for this event are closed.';
    case 'AdmissionRequiredError':
      return 'Your turn to choose seats has ended.';
    case 'NotEnoughPlacesError':
      return result.available === 0
        ? 'Sorry, no places are left there.'
        : `Sorry, only ${result.available} place${result.available === 1 ? ' is' : 's are'} left there.`;
    case 'NotEnoughSeatsError':
      return result.available === 0
        ? 'Sorry, no seats are left here.'
        : `Sorry, only ${result.available} seat${result.available === 1 ? ' is' : 's are'} left here.`;
    default:
      return result.message;
  }
}

/** Handles a mutation answer: true on success; on an error says why and forgets a dead hold. */
function succeeded(result) {
  if (!('message' in result)) return true;
  say(
    explain(result),
    'error',
    (result.seats ?? []).map((seat) => seat.id),
  );
  if (result.__typename === 'SalesClosedError') ui.salesClosed.hidden = false;
  // The admission lapsed (or the room was just turned on): back to the line.
  if (result.__typename === 'AdmissionRequiredError') void showEvent(state.eventId).catch((error) => say(error.message));
  if (['HoldExpiredError', 'HoldNotFoundError', 'HoldClosedError'].includes(result.__typename)) setHold(null);
  return false;
}

async function lockSeat(seatId) {
  const data = await graphql(op.SeatMapLockSeat, { e: state.eventId, s: seatId, t: state.hold?.token ?? null, a: line.admission() });
  if (succeeded(data.lockSeat)) {
    say('');
    setHold(data.lockSeat);
  }
}

/** Locks places of the picked area into the buyer's hold (a new one if none). */
async function lockPlaces(areaId, quantity) {
  const data = await graphql(op.SeatMapLockAreaPlaces, { e: state.eventId, r: areaId, n: quantity, t: state.hold?.token ?? null, a: line.admission() });
  if (succeeded(data.lockAreaPlaces)) {
    say(`${quantity} place${quantity === 1 ? '' : 's'} in ${areas.name(areaId)} added to your hold.`, 'ok');
    setHold(data.lockAreaPlaces);
  }
}

async function releaseSeat(seatId) {
  const data = await graphql(op.SeatMapReleaseSeat, { e: state.eventId, s: seatId, t: state.hold.token });
  if (succeeded(data.releaseSeat) && state.hold) {
    state.hold.seatIds.delete(seatId);
    renderSeat(seatId);
    renderHold();
  }
}

/**
 * "Best N" is a new choice: the N seats found replace the ones this page holds (a buyer who asks
 * for the best 2 expects to end with 2). They are locked into a new hold first, and the old hold
 * is given back only once that succeeded, so a refusal leaves the buyer's seats as they were. Only
 * when the buyer's own seats stand in the way (the per-buyer cap) are they given back first.
 */
ui.bestForm.addEventListener('submit', (event) => {
  event.preventDefault();
  act(async () => {
    const count = Number(ui.bestCount.value);
    const lockBest = async () =>
      (
        await graphql(op.SeatMapLockBestAvailable, {
          e: state.eventId,
          n: count,
          s: ui.bestSection.value || null,
          c: ui.bestCategory.value ? [ui.bestCategory.value] : null,
          t: null,
          a: line.admission(),
        })
      ).lockBestAvailable;
    const previous = state.hold;
    let result = await lockBest();
    let gaveBack = false;
    if (result.__typename === 'ClientSeatLimitError' && previous) {
      await giveBack(previous.token);
      gaveBack = true;
      result = await lockBest();
    }
    if (!succeeded(result)) {
      if (gaveBack) {
        setHold(null);
        say(`${explain(result)} The seats you held were given back to make room.`);
      }
      return;
    }
    if (previous && !gaveBack) await giveBack(previous.token);
    setHold(result);
    const labels = result.seats.map((seat) => seat.label).join(', ');
    const replaced = previous && previous.seatIds.size > 0 ? ' They replace the seats you held.' : '';
    say(
      result.nextToEachOther || count === 1
        ? `Found ${labels}${count > 1 ? ', together' : ''}. They are in your hold.${replaced}`
        : `No ${count} seats together are left here; these are the closest: ${labels}. They are in your hold.${replaced}`,
      'ok',
    );
  });
});

/** Gives a hold of this page back; one already over is as good as given back. */
async function giveBack(token) {
  await graphql(op.SeatMapReleaseHold, { t: token });
}

/** The price legend, and the categories best available can keep to. */
function renderCategories(categories) {
  state.categories = new Map(categories.map((category) => [category.key, category]));
  ui.priceLegend.replaceChildren(
    ...categories.map((category) => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.setProperty('--cat', category.color);
      swatch.setAttribute('aria-hidden', 'true');
      item.append(swatch, `${category.label}${category.price ? ` ${money(category.price)}` : ''}`);
      return item;
    }),
  );
  ui.priceLegend.hidden = categories.length === 0;
  const chosen = ui.bestCategory.value;
  ui.bestCategory.replaceChildren(new Option('any price', ''), ...categories.map((category) => new Option(category.label, category.key)));
  ui.bestCategory.value = state.categories.has(chosen) ? chosen : '';
  ui.bestCategory.closest('label').hidden = categories.length < 2;
}

/** The sections of the map, for best available. */
function renderSections(seats) {
  const sections = [...new Set(seats.map((seat) => seat.section).filter((section) => section !== null))];
  const chosen = ui.bestSection.value;
  ui.bestSection.replaceChildren(new Option('Any', ''), ...sections.map((section) => new Option(section, section)));
  ui.bestSection.value = sections.includes(chosen) ? chosen : '';
  ui.bestSection.closest('label').hidden = sections.length < 2;
}

ui.confirm.addEventListener('click', () =>
  act(async () => {
    const data = await graphql(op.SeatMapConfirmHold, {
      t: state.hold.token,
    });
    if (succeeded(data.confirmHold)) {
      const booked = [
        ...data.confirmHold.seats.map((seat) => seat.label),
        ...data.confirmHold.areaPlaces.map((places) => `${places.quantity} × ${places.area.name}`),
      ];
      say(`Booked: ${booked.join(', ')}. Booking ${data.confirmHold.id}.`, 'ok');
      setHold(null);
    }
  }),
);

ui.release.addEventListener('click', () =>
  act(async () => {
    const data = await graphql(op.SeatMapReleaseHold, {
      t: state.hold.token,
    });
    if (succeeded(data.releaseHold)) {
      say('Your seats were given back.', 'ok');
      setHold(null);
    }
  }),
);

ui.extend.addEventListener('click', () =>
  act(async () => {
    const data = await graphql(op.SeatMapExtendHold, {
      t: state.hold.token,
    });
    if (succeeded(data.extendHold)) {
      setHold(data.extendHold);
      say(state.hold && state.hold.expiresAt >= state.hold.maxExpiresAt ? 'Extended as far as a hold may go.' : 'Extended.', 'ok');
    }
  }),
);

// ---- map --------------------------------------------------------------------------------

const STATUS_TEXT = { AVAILABLE: 'free', LOCKED: 'held by someone else', BOOKED: 'sold', BLOCKED: 'not for sale', MINE: 'in your hold' };

function seatState(seat) {
  if (seat.status === 'LOCKED' && state.hold?.seatIds.has(seat.id)) return 'MINE';
  return seat.status;
}

function renderSeat(id) {
  const seat = state.seats.get(id);
  const button = state.buttons.get(id);
  if (!seat || !button) return;
  const status = seatState(seat);
  const category = seat.category ? state.categories.get(seat.category.key) : null;
  button.className = `seat placed ${status === 'MINE' ? 'mine' : status.toLowerCase()}${seat.accessible ? ' accessible' : ''}${seat.companion ? ' companion' : ''}${seat.restrictedView ? ' restricted' : ''}`;
  if (category) button.style.setProperty('--cat', category.color);
  button.dataset.status = status;
  const details = [
    seat.section,
    category ? `${category.label}${category.price ? ` ${money(category.price)}` : ''}` : null,
    seat.accessible ? 'wheelchair space' : null,
    seat.companion ? 'companion seat' : null,
    seat.restrictedView ? 'restricted view' : null,
  ].filter(Boolean);
  // The name starts with what the seat shows (its number), as a name must contain its visible text.
  const name = seat.number !== null && seat.row ? `Seat ${seat.number}, row ${seat.row}` : `Seat ${seat.label}`;
  button.setAttribute('aria-label', `${name}${details.length ? `, ${details.join(', ')}` : ''}: ${STATUS_TEXT[status]}`);
  button.setAttribute('aria-pressed', String(status === 'MINE'));
  // Taken seats stay focusable (the keyboard walks the whole house) but do nothing.
  button.setAttribute('aria-disabled', String(status !== 'AVAILABLE' && status !== 'MINE'));
  button.title = button.getAttribute('aria-label');
}

function renderCounts() {
  const counts = { AVAILABLE: 0, LOCKED: 0, BOOKED: 0, BLOCKED: 0 };
  for (const seat of state.seats.values()) counts[seat.status] += 1;
  const offSale = counts.BLOCKED > 0 ? `, ${counts.BLOCKED} not for sale` : '';
  const placesLeft = areas.placesLeft();
  const standing = areas.size > 0 ? `; ${placesLeft} standing place${placesLeft === 1 ? '' : 's'} left` : '';
  const seats =
    state.seats.size > 0 || areas.size === 0
      ? `${counts.AVAILABLE} free, ${counts.LOCKED} held, ${counts.BOOKED} sold${offSale} of ${state.seats.size} seats`
      : '';
  ui.counts.textContent = `${seats}${seats ? standing : standing.slice(2)}`;
}

function renderMap(event) {
  state.buttons.clear();
  drawVenue(
    ui.map,
    event,
    event.seats,
    (seat) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = String(seat.number ?? seat.label);
      button.dataset.seatId = seat.id;
      button.addEventListener('click', () => {
        const status = seatState(state.seats.get(seat.id));
        if (status === 'MINE') act(() => releaseSeat(seat.id));
        else if (status === 'AVAILABLE') act(() => lockSeat(seat.id));
      });
      state.buttons.set(seat.id, button);
      renderSeat(seat.id);
      return button;
    },
    event.areas,
    (area) => areas.block(area),
  );
  ui.legendArea.hidden = event.areas.length === 0;
}

/** The map read whole with its version, then kept up by its changes (resumed after a lost connection). */
const map = new LiveMap({
  subscriptions: [op.SeatMapChanges, op.SeatMapAreaChanges],
  load: async () => {
    const { event } = await graphql(op.SeatMapEvent, { id: state.eventId });
    ui.salesClosed.hidden = event.salesOpen;
    state.seats = new Map(event.seats.map((seat) => [seat.id, seat]));
    areas.load(event.areas);
    renderCategories(event.categories);
    renderMap(event);
    renderSections(event.seats);
    renderCounts();
    return event.version;
  },
  apply: (change, field) => {
    if (field === 'areaChanged') {
      areas.update(change.area);
      renderCounts();
      return;
    }
    state.seats.set(change.seat.id, change.seat);
    // A message about this seat ("just taken") is stale once it changes again.
    if (state.messageSeatIds.has(change.seat.id)) say('');
    // Only this page releases its seats (and updates the hold as it does), so a RELEASED change
    // may be an old one for a seat the page has since locked again; anything else takes it away.
    if (state.hold?.seatIds.has(change.seat.id) && change.reason !== 'LOCKED' && change.reason !== 'RELEASED') {
      state.hold.seatIds.delete(change.seat.id);
      if (change.reason === 'EXPIRED') {
        say('Your hold expired and its seats were given back.');
        setHold(null);
      }
      renderHold();
    }
    renderSeat(change.seat.id);
    renderCounts();
  },
  onError: (error) => say(`Could not reload the map: ${error.message}`),
});

// ---- live changes -----------------------------------------------------------------------

map.client = connectLive(ui.connection, {
  onClosed: () => map.stop(),
  onReconnected: () => {
    map.resume();
    void restoreHold().catch(() => {});
  },
});

/** The tab's place in the line of an event whose waiting room is on. */
const line = new WaitingLine({ graphql, client: map.client, view: ui.queue });

async function showEvent(eventId) {
  state.eventId = eventId;
  state.hold = null;
  const url = new URL(location.href);
  url.searchParams.set('event', eventId);
  history.replaceState(null, '', url);
  const { event } = await graphql(op.SeatMapWaitingRoom, { id: eventId });
  if (event?.waitingRoom?.enabled) {
    // The map waits until the buyer's turn: the line is all the page shows.
    ui.main.dataset.queued = 'true';
    map.stop();
    const ticket = await line.enter(eventId, event.waitingRoom);
    if (state.eventId !== eventId) return;
    if (ticket.admittedUntil) say('It is your turn: choose your seats.', 'ok');
  } else line.leave();
  delete ui.main.dataset.queued;
  await map.show(eventId);
  zoomToFit();
  await restoreHold();
}

// ---- zoom ---------------------------------------------------------------------------------

/** Zooms to `px` a seat width, keeping the point of the map at the centre of the box in place. */
function zoomTo(px) {
  const unit = Math.min(ZOOM.max, Math.max(ZOOM.min, px));
  const before = state.unit ?? unit;
  const centreX = (ui.map.scrollLeft + ui.map.clientWidth / 2) / before;
  const centreY = (ui.map.scrollTop + ui.map.clientHeight / 2) / before;
  ui.map.style.setProperty('--unit', `${unit}px`);
  ui.zoomIn.disabled = unit >= ZOOM.max;
  ui.zoomOut.disabled = unit <= ZOOM.min;
  state.unit = unit;
  ui.map.scrollLeft = centreX * unit - ui.map.clientWidth / 2;
  ui.map.scrollTop = centreY * unit - ui.map.clientHeight / 2;
}

/**
 * The map's box ends at the bottom of the screen (above the hold bar on a phone), so the page
 * and the map never both scroll for the same house.
 */
function sizeMapBox() {
  const top = ui.map.getBoundingClientRect().top + window.scrollY;
  const below = PHONE.matches ? ui.holdPanel.getBoundingClientRect().height + 8 : 16;
  const height = Math.max(200, window.innerHeight - top - below);
  ui.map.style.setProperty('--map-height', `${height}px`);
  return height;
}

/** The whole house in the box: its width, and on a laptop its height too. */
function zoomToFit() {
  const venue = ui.map.querySelector('.venue');
  const width = Number(venue?.style.getPropertyValue('--width')) || 1;
  const height = Number(venue?.style.getPropertyValue('--height')) || 1;
  const boxHeight = sizeMapBox();
  // 4 px for the box's border; the venue adds half a rem under its last row.
  const byWidth = (ui.map.clientWidth - 4) / width;
  const byHeight = (boxHeight - 12) / height;
  zoomTo(Math.min(ZOOM.start, byWidth, PHONE.matches ? Number.POSITIVE_INFINITY : byHeight));
  ui.map.scrollLeft = (ui.map.scrollWidth - ui.map.clientWidth) / 2;
  ui.map.scrollTop = 0;
}

ui.zoomIn.addEventListener('click', () => zoomTo((state.unit ?? ZOOM.start) * ZOOM.step));
ui.zoomOut.addEventListener('click', () => zoomTo((state.unit ?? ZOOM.start) / ZOOM.step));
ui.zoomFit.addEventListener('click', zoomToFit);

let resizing = null;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(zoomToFit, 150);
});

/** Two fingers on the map zoom it (the page itself never zooms sideways out of the screen). */
const pointers = new Map();
let pinch = null;
ui.map.addEventListener('pointerdown', (event) => {
  if (event.pointerType !== 'touch') return;
  pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
  if (pointers.size === 2) {
    const [a, b] = [...pointers.values()];
    pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, unit: state.unit ?? ZOOM.start };
  }
});
ui.map.addEventListener('pointermove', (event) => {
  if (!pointers.has(event.pointerId)) return;
  pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
  if (pinch && pointers.size === 2) {
    const [a, b] = [...pointers.values()];
    zoomTo((pinch.unit * Math.hypot(a.x - b.x, a.y - b.y)) / pinch.distance);
  }
});
for (const type of ['pointerup', 'pointercancel', 'pointerleave']) {
  ui.map.addEventListener(type, (event) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
  });
}

// On a laptop the options are open beside the hold; on a phone they fold away under the house.
ui.options.open = !PHONE.matches;

async function start() {
  const { events } = await graphql(op.SeatMapEvents);
  for (const event of events) ui.event.append(new Option(event.name, event.id));
  const wanted = new URL(location.href).searchParams.get('event');
  ui.event.value = events.some((event) => event.id === wanted) ? wanted : (events[0]?.id ?? '');
  ui.event.addEventListener('change', () => void showEvent(ui.event.value));
  setInterval(renderCountdown, 250);
  if (ui.event.value) await showEvent(ui.event.value);
}

start().catch((error) => say(`Could not load the seat map: ${error.message}`));
