// The seat layout both pages draw: seats grouped by section, then by row, in layout order.

/**
 * Fills `container` with the seats laid out by section and row; `makeSeat(seat)` makes the
 * control of each seat (the pages differ in what a click does).
 */
export function layOutSeats(container, seats, makeSeat) {
  container.replaceChildren();
  const sections = new Map();
  for (const seat of seats) {
    const section = seat.section ?? '';
    if (!sections.has(section)) sections.set(section, new Map());
    const rows = sections.get(section);
    const row = seat.row ?? '';
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row).push(seat);
  }
  for (const [section, rows] of sections) {
    const group = document.createElement('div');
    group.className = 'section';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', section || 'Seats');
    const title = document.createElement('h3');
    title.textContent = section || 'Seats';
    group.append(title);
    for (const [row, rowSeats] of rows) {
      const line = document.createElement('div');
      line.className = 'row';
      const name = document.createElement('span');
      name.className = 'row-name';
      name.textContent = row;
      line.append(name);
      for (const seat of rowSeats) line.append(makeSeat(seat));
      group.append(line);
    }
    container.append(group);
  }
}
