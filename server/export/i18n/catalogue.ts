/**
 * The type every export catalogue has: en.ts's shape with every string widened, so ru.ts and be.ts
 * must have each key en has (and no other). A plural entry ({ one, other } in English) must carry
 * the categories Intl.PluralRules gives for Belarusian and Russian too.
 */
import type { en } from './en.ts';

export interface Plural {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

/** A catalogue's shape with every string widened (the public record's catalogue is typed the same way). */
export type Widen<T> = T extends string ? string : T extends { one: string; other: string } ? Plural : { [K in keyof T]: Widen<T[K]> };

export type Catalogue = Widen<typeof en>;
