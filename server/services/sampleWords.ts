import type { Language } from '../../shared/api/index.ts';

/**
 * The sample plan's own words in the language its first coordinator sets Accord up in: a
 * Belarusian or Russian ministry trying Accord gets a sample written in its language. The UN's
 * recommendations stay as the UN's English text, as they are imported from UPR Info.
 * Chapter and section titles are keyed by their English.
 */
export interface SampleWords {
  title: string;
  country: string;
  source: string;
  respondsTo: string;
  /** The State's response as the file records it ("supported", "noted"), in words. */
  responses: Record<string, string>;
  titles: Record<string, string>;
}

const ru: SampleWords = {
  title: 'Национальный план действий в области прав человека — Беларусь, 2026–2030 (образец)',
  country: 'Беларусь',
  source:
    'Образец плана, составленный по рекомендациям, полученным Беларусью в ходе первого цикла Универсального ' +
    'периодического обзора (документ ООН A/HRC/15/16, 2010 г., пункты 97–98); темы — из базы данных UPR Info.',
  respondsTo: 'Рекомендации, на которые отвечает этот раздел:',
  responses: { supported: 'поддержана', noted: 'принята к сведению' },
  titles: {
    'Death penalty': 'Смертная казнь',
    'Moratorium and abolition': 'Мораторий и отмена',
    'Justice and fair trial': 'Правосудие и справедливое судебное разбирательство',
    'Prevention of torture and ill-treatment': 'Предупреждение пыток и жестокого обращения',
    'Detention and enforced disappearances': 'Содержание под стражей и насильственные исчезновения',
    'Administration of justice': 'Отправление правосудия',
    'Freedoms of expression, association and assembly': 'Свобода выражения мнений, объединений и собраний',
    'Freedom of expression and of the media': 'Свобода выражения мнений и свобода СМИ',
    'Freedom of association and peaceful assembly': 'Свобода объединений и мирных собраний',
    'Elections and freedom of religion or belief': 'Выборы и свобода вероисповедания или убеждений',
    'Human rights defenders and civil society': 'Правозащитники и гражданское общество',
    'Human rights defenders': 'Правозащитники',
    'Cooperation with civil society': 'Сотрудничество с гражданским обществом',
    'Human rights education and training': 'Образование и подготовка в области прав человека',
    'Women, children and persons with disabilities': 'Женщины, дети и лица с инвалидностью',
    "Women's rights and gender equality": 'Права женщин и гендерное равенство',
    'Rights of the child': 'Права ребёнка',
    'Rights of persons with disabilities': 'Права лиц с инвалидностью',
    'Trafficking and migrants': 'Торговля людьми и мигранты',
    'Combating trafficking in human beings': 'Борьба с торговлей людьми',
    'Migrants and labour rights': 'Мигранты и трудовые права',
    'International cooperation and instruments': 'Международное сотрудничество и договоры',
    'Ratification of international instruments': 'Ратификация международных договоров',
    'Cooperation with UN human rights mechanisms': 'Сотрудничество с правозащитными механизмами ООН',
    'National human rights institution and action plan': 'Национальное правозащитное учреждение и план действий',
    'Other recommendations': 'Другие рекомендации',
    'Economic, social and cultural rights': 'Экономические, социальные и культурные права',
    'Non-discrimination and minorities': 'Недискриминация и меньшинства',
    'General recommendations': 'Общие рекомендации',
  },
};

const be: SampleWords = {
  title: 'Нацыянальны план дзеянняў у галіне правоў чалавека — Беларусь, 2026–2030 (узор)',
  country: 'Беларусь',
  source:
    'Узор плана, складзены паводле рэкамендацый, атрыманых Беларуссю падчас першага цыкла Універсальнага ' +
    'перыядычнага агляду (дакумент ААН A/HRC/15/16, 2010 г., пункты 97–98); тэмы — з базы даных UPR Info.',
  respondsTo: 'Рэкамендацыі, на якія адказвае гэты раздзел:',
  responses: { supported: 'падтрымана', noted: 'прынята да ведама' },
  titles: {
    'Death penalty': 'Смяротнае пакаранне',
    'Moratorium and abolition': 'Мараторый і адмена',
    'Justice and fair trial': 'Правасуддзе і справядлівы суд',
    'Prevention of torture and ill-treatment': 'Папярэджанне катаванняў і жорсткага абыходжання',
    'Detention and enforced disappearances': 'Утрыманне пад вартай і гвалтоўныя знікненні',
    'Administration of justice': 'Ажыццяўленне правасуддзя',
    'Freedoms of expression, association and assembly': 'Свабода выказвання меркаванняў, аб’яднанняў і сходаў',
    'Freedom of expression and of the media': 'Свабода выказвання меркаванняў і свабода СМІ',
    'Freedom of association and peaceful assembly': 'Свабода аб’яднанняў і мірных сходаў',
    'Elections and freedom of religion or belief': 'Выбары і свабода веравызнання або перакананняў',
    'Human rights defenders and civil society': 'Праваабаронцы і грамадзянская супольнасць',
    'Human rights defenders': 'Праваабаронцы',
    'Cooperation with civil society': 'Супрацоўніцтва з грамадзянскай супольнасцю',
    'Human rights education and training': 'Адукацыя і навучанне ў галіне правоў чалавека',
    'Women, children and persons with disabilities': 'Жанчыны, дзеці і асобы з інваліднасцю',
    "Women's rights and gender equality": 'Правы жанчын і гендарная роўнасць',
    'Rights of the child': 'Правы дзіцяці',
    'Rights of persons with disabilities': 'Правы асоб з інваліднасцю',
    'Trafficking and migrants': 'Гандаль людзьмі і мігранты',
    'Combating trafficking in human beings': 'Барацьба з гандлем людзьмі',
    'Migrants and labour rights': 'Мігранты і працоўныя правы',
    'International cooperation and instruments': 'Міжнароднае супрацоўніцтва і дагаворы',
    'Ratification of international instruments': 'Ратыфікацыя міжнародных дагавораў',
    'Cooperation with UN human rights mechanisms': 'Супрацоўніцтва з праваабарончымі механізмамі ААН',
    'National human rights institution and action plan': 'Нацыянальная праваабарончая ўстанова і план дзеянняў',
    'Other recommendations': 'Іншыя рэкамендацыі',
    'Economic, social and cultural rights': 'Эканамічныя, сацыяльныя і культурныя правы',
    'Non-discrimination and minorities': 'Недапушчэнне дыскрымінацыі і меншасці',
    'General recommendations': 'Агульныя рэкамендацыі',
  },
};

const WORDS: Partial<Record<Language, SampleWords>> = { ru, be };

/** The sample's words in `language`; null for English, whose words are the outline's own. */
export function sampleWords(language: Language): SampleWords | null {
  return WORDS[language] ?? null;
}

/**
 * The first chapter and section a new plan starts with (services/plans.ts createPlan), in the
 * language its creator works in. They are the plan's own words from then on: renaming them is the
 * coordinator's business, and nobody else's language changes them.
 */
export const STARTER_OUTLINE: Record<Language, { chapter: string; section: string }> = {
  en: { chapter: 'Introduction', section: 'Purpose and scope' },
  ru: { chapter: 'Введение', section: 'Цель и сфера применения' },
  be: { chapter: 'Уводзіны', section: 'Мэта і сфера прымянення' },
};
