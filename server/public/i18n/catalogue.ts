/** The type of the public record's catalogues: en.ts's shape with every string widened (as the exports' are). */
import type { Widen } from '../../export/i18n/catalogue.ts';
import type { en } from './en.ts';

export type PublicCatalogue = Widen<typeof en>;
