import { hashUniform } from './pricing.js';
import { createDemoRng, type DemoRng } from './rng.js';

/**
 * Planted life events (README "Life events"): a share of the buyers who are still active has one of
 *
 * - `new_baby`: from a day D on, four orders within ~115 days, each with 2–3 baby clothes (Kids > Clothing >
 *   Baby) and sometimes a toy, on top of the customer's usual orders;
 * - `moving`: three orders within ~45 days, each with 2–3 items for a new home (Home > Living, Home >
 *   Bathroom, cookware);
 * - `channel_switch`: a customer with at least 8 purchases moves, from the middle one on, to another channel
 *   (web/app → store, store/phone → web) for every later purchase.
 *
 * Every draw comes from a generator of its own (seeded from the customer's number and what was already
 * drawn for them), so the customers' main random streams, and every other planted pattern, stay as they were.
 */
export const LIFE_EVENTS = {
  /** Share of eligible buyers (≥ 2 purchases, event window before asOf) with each category event. */
  newBabyShare: 0.08,
  movingShare: 0.08,
  /** Share of buyers with ≥ 8 purchases who switch channel. */
  channelSwitchShare: 0.3,
  babyLeaves: ['KCL'],
  babyExtraLeaves: ['KTO'],
  movingLeaves: ['HLI', 'HTE', 'HBA', 'HCW'],
  /** Offsets (days from D) of the three event orders: [min, max) each. */
  babyOffsets: [
    [0, 1],
    [7, 30],
    [30, 70],
    [70, 115],
  ],
  movingOffsets: [
    [0, 1],
    [5, 20],
    [21, 45],
  ],
} as const;

export type LifeEventType = 'new_baby' | 'moving' | 'channel_switch';

export interface PlantedLifeEvent {
  type: LifeEventType;
  /** Day number of the event (the first event order, or the first order in the new channel). */
  day: number;
}

/** The generator of a customer's life events. */
export function lifeEventRng(index: number, salt: number): DemoRng {
  return createDemoRng(Math.floor(hashUniform(index, salt, 0x11fe_e7e5) * 4294967296) || 1);
}

/**
 * The channel a switcher moves to: online shoppers (web, app) move to the store, store and phone customers
 * online (web). Not app ↔ web: the importer reads both as one online channel.
 */
export function switchTarget(main: string): 'web' | 'store' {
  return main === 'web' || main === 'app' ? 'store' : 'web';
}
