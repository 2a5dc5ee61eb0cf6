import type { Area, AreaCounts, AreaDefinition, Category } from '../domain/model.js';

/** An area of the layout with its counts at one moment, its category resolved. */
export function areaView(definition: AreaDefinition, eventId: string, categories: ReadonlyMap<string, Category>, counts: AreaCounts): Area {
  return {
    ...definition,
    eventId,
    category: definition.categoryKey === undefined ? null : (categories.get(definition.categoryKey) ?? null),
    available: counts.available,
    locked: counts.locked,
    booked: counts.booked,
    blocked: counts.blocked,
  };
}
