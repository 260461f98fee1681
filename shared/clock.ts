/**
 * Where "now" comes from. The request pipeline reads it once per request (`deps.now`, `audit.now`)
 * and hands it out as `deps.clock` for anything that measures time passing within the request;
 * tests pin it (`() => new Date('2026-…')`) instead of waiting for the wall clock.
 */
export type Clock = () => Date;

/** The machine's time: the clock of every deployed function. */
export const systemClock: Clock = () => new Date();
