/** Time stamps as the two trees write them. */

/** GeneralizedTime, as Mds-validfrom/Mds-validto carry it: `20240131235959Z`. */
export function generalizedTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

/** ISO 8601 in UTC without fractions, as GLUE 2.0 DateTime_t values are written. */
export function glue2Time(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
