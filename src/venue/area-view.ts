import type { Area, AreaCounts, AreaDefinition, Category } from '../domain/model.js';

/**
 * An area of the layout with its counts at one moment, its category resolved. Built key by key
 * (as seats are): every lock of places makes one for its change, and a spread of an object with
 * optional keys is several times slower.
 */
export function areaView(definition: AreaDefinition, eventId: string, categories: ReadonlyMap<string, Category>, counts: AreaCounts): Area {
  return {
    id: definition.id,
    name: definition.name,
    capacity: definition.capacity,
    categoryKey: definition.categoryKey,
    x: definition.x,
    y: definition.y,
    width: definition.width,
    height: definition.height,
    eventId,
    category: definition.categoryKey === undefined ? null : (categories.get(definition.categoryKey) ?? null),
    available: counts.available,
    locked: counts.locked,
    booked: counts.booked,
    blocked: counts.blocked,
  };
}
