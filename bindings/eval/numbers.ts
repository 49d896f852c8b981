// Fixed number formatting for everything eval prints: the same inputs give the same
// bytes on every run and platform (no 0.30000000000000004 in one place and 0.3 in another).

/** Rounds to 6 decimals (the precision every eval number is reported at). */
export const fixed = (x: number): number => Number(x.toFixed(6));

/** a / b rounded, or null when b is 0 (undefined rather than a made-up 0 or 1). */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : fixed(a / b));

/** "0.9123" or "-" for tables. */
export const show = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? "-" : x.toFixed(digits));

/** "91.2 %" or "-". */
export const percent = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? "-" : `${(x * 100).toFixed(digits)} %`);
