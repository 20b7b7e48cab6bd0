/**
 * A file's type as a reader finds it: written by bioprobe, an older version or another tool, so every
 * field may be absent (nested objects alike) and unknown fields are kept. Writers use the exact type.
 */
export type AsRead<T> = {
  [K in keyof T as string extends K ? never : K]?: NonNullable<T[K]> extends readonly unknown[]
    ? T[K]
    : NonNullable<T[K]> extends object
      ? AsRead<NonNullable<T[K]>>
      : T[K];
} & { [key: string]: unknown };
