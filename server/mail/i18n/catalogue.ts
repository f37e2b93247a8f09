/** Every mail catalogue has en.ts's keys, each string widened; a plural carries Belarusian and Russian forms too. */
import type { Widen } from '../../export/i18n/catalogue.ts';
import type { en } from './en.ts';

export type MailCatalogue = Widen<typeof en>;
