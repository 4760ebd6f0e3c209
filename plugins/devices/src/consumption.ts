// How much a home uses: a deterministic daily curve per device, integrated in closed form, so a
// register or a half-hour profile at any time costs nothing to store (idle devices stay small).
// The rate is b·(1 − ½·cos(2πt/day)) units per hour, lowest at midnight UTC, highest at noon;
// b is drawn from the device's index. Electricity is in Wh, gas in litres.
const DAY = 86_400;
const TWO_PI = 2 * Math.PI;

/** A stable pseudo-random number in [0, 1) for an index (a 32-bit integer hash). */
export function unitHash(index: number, salt = 0): number {
  let x = (index ^ Math.imul(salt + 1, 0x9e3779b9)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

/** Mean units per hour: 150-650 Wh/h for an electricity meter, 20-80 litres/h for gas. */
export function meanRate(index: number, gas: boolean): number {
  const u = unitHash(index, 7);
  return gas ? 20 + 60 * u : 150 + 500 * u;
}

/** Units used from the epoch to `seconds` (Unix time) at mean rate `rate` per hour. */
function cumulative(rate: number, seconds: number): number {
  return (rate / 3600) * (seconds - (0.5 * DAY / TWO_PI) * Math.sin((TWO_PI * seconds) / DAY));
}

/** Units used between two Unix times (seconds). */
export function usedBetween(rate: number, from: number, to: number): number {
  return to > from ? cumulative(rate, to) - cumulative(rate, from) : 0;
}

/** Half-hourly consumption for [from, to), aligned to half hours: [start (Unix s), units][]. */
export function halfHourProfile(rate: number, from: number, to: number): [number, number][] {
  const periods: [number, number][] = [];
  for (let start = Math.floor(from / 1800) * 1800; start + 1800 <= to; start += 1800) {
    periods.push([start, usedBetween(rate, start, start + 1800)]);
  }
  return periods;
}
