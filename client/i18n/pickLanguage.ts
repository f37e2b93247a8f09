// The rules live in shared/: the server picks an e-mail's language from Accept-Language by them too.
export { isLanguage, pickLanguage } from '../../shared/language/pickLanguage.ts';
