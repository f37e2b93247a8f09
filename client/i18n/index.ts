import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import be from './locales/be.json';
import en from './locales/en.json';
import ru from './locales/ru.json';

/**
 * Every string a person reads goes through t(). Belarusian and Russian are the languages of the
 * people the plan is for; English is for international partners and is the fallback while a
 * catalogue is incomplete (a unit test fails on any key missing from any language).
 */
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, be: { translation: be }, ru: { translation: ru } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['be', 'ru', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
