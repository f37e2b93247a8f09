/** Links an input to its hint and error so screen readers read them with it. */
export const described = (id: string, hint: boolean, error: string | undefined) =>
  ({
    'aria-describedby': [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? true : undefined,
  }) as const;

/** A stored value as an input's text. */
export const orEmpty = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** An input's text as a stored value: blank means not set. */
export const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
