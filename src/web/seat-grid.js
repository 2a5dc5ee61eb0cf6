// The venue both pages draw: every seat at its place (x, y in seat widths, from the layout),
// general admission areas as blocks in theirs, the stage above, section names and row names
// beside them. Seats and areas stay buttons: focusable, labelled, in layout order for the keyboard.

/** Seat widths above the first row: the stage and a gap. */
const STAGE_ROWS = 2.4;
/** Seat widths left of the venue for row names (and right, to keep it centred). */
const MARGIN = 1.6;

/**
 * Fills `container` with the venue: `event.stage` (or nothing), `makeSeat(seat)` (the pages
 * differ in what a click does) placed at each seat's x and y, and `makeArea(area)` placed over
 * each area's box (x, y, width, height). The container's CSS variable `--unit` is the size of a
 * seat width.
 */
export function drawVenue(container, event, seats, makeSeat, areas = [], makeArea = null) {
  const boxes = [...seats.map((seat) => ({ x: seat.x, y: seat.y, width: 1, height: 1 })), ...areas];
  const minX = Math.min(...boxes.map((box) => box.x));
  const width = Math.max(...boxes.map((box) => box.x + box.width)) - minX + 2 * MARGIN;
  const top = event.stage ? STAGE_ROWS : 0.8;
  const height = Math.max(...boxes.map((box) => box.y + box.height)) + top;
  const venue = document.createElement('div');
  venue.className = 'venue';
  venue.style.setProperty('--width', String(width));
  venue.style.setProperty('--height', String(height));
  const place = (element, x, y) => {
    element.style.setProperty('--x', String(x));
    element.style.setProperty('--y', String(y));
  };
  if (event.stage) {
    const stage = document.createElement('div');
    stage.className = 'stage';
    stage.textContent = event.stage;
    venue.append(stage);
  }
  const rows = new Map();
  const sections = new Map();
  for (const seat of seats) {
    const rowKey = `${seat.section ?? ''}\n${seat.row ?? ''}`;
    const row = rows.get(rowKey) ?? { name: seat.row, x: seat.x, y: seat.y };
    row.x = Math.min(row.x, seat.x);
    rows.set(rowKey, row);
    if (seat.section && !sections.has(seat.section)) sections.set(seat.section, seat.y);
  }
  for (const [name, y] of sections) {
    const label = document.createElement('div');
    label.className = 'section-name';
    label.textContent = name;
    label.setAttribute('aria-hidden', 'true');
    place(label, MARGIN, y + top - 0.75);
    venue.append(label);
  }
  for (const row of rows.values()) {
    if (!row.name) continue;
    const label = document.createElement('div');
    label.className = 'row-name';
    label.textContent = row.name;
    label.setAttribute('aria-hidden', 'true');
    place(label, row.x - minX + MARGIN - 1.1, row.y + top);
    venue.append(label);
  }
  // In layout order, areas among the seats, so the keyboard walks the house from the stage down.
  const placed = [...seats.map((seat) => ({ y: seat.y, seat })), ...areas.map((area) => ({ y: area.y, area }))].sort((a, b) => a.y - b.y);
  for (const { seat, area } of placed) {
    if (seat) {
      const control = makeSeat(seat);
      control.classList.add('placed');
      place(control, seat.x - minX + MARGIN, seat.y + top);
      venue.append(control);
    } else if (makeArea) {
      const control = makeArea(area);
      control.classList.add('placed-area');
      place(control, area.x - minX + MARGIN, area.y + top);
      control.style.setProperty('--w', String(area.width));
      control.style.setProperty('--h', String(area.height));
      venue.append(control);
    }
  }
  container.replaceChildren(venue);
}
