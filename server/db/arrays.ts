/**
 * Arrays as one parameter each: an array literal, so a bulk statement (`unnest($1::int[], …)`,
 * `= ANY($1::text[])`) has the same few parameters whatever the number of rows, on both drivers.
 */
export function intArray(list: readonly (number | null | undefined)[]): string {
  return `{${list.map((v) => (v === null || v === undefined ? 'NULL' : String(Math.trunc(v)))).join(',')}}`;
}

/** A text[] literal; null stays SQL NULL (not the string "NULL"). */
export function textArray(list: readonly (string | null | undefined)[]): string {
  return `{${list.map((v) => (v === null || v === undefined ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}
