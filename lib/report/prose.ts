/**
 * Word-level helpers for the report's generated sentences: counted nouns, capitals, panel letters.
 * Numbers are formatted in format.ts; these only assemble words around them.
 */

/** "one dataset" / "3 datasets" (the plural defaults to the noun + "s"). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return n === 1 ? `one ${noun}` : `${n} ${plural}`;
}

/** "1 seed" / "3 seeds": the number as a digit even when it is one. */
export function plural(n: number, noun: string): string {
  return n === 1 ? `${n} ${noun}` : `${n} ${noun}s`;
}

/** The text with its first character in upper case (a phrase that opens a sentence). */
export function capitalise(text: string): string {
  return text.replace(/^./, (c) => c.toUpperCase());
}

/** A sub-figure's letter: "(a)" for the first panel, wrapping after "(z)". */
export function panelLetter(i: number): string {
  return `(${String.fromCharCode(97 + (i % 26))})`;
}
