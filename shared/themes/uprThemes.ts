import { tagLabel, tagOptions, tagTable, type TagWords } from './tagWords.ts';

/**
 * The issues UPR Info tags recommendations with ("Torture and other CID treatment"), in Russian and
 * Belarusian. Most files use UPR Info's English names; a reader of the Russian or Belarusian
 * record should not meet them in English (see tagWords.ts for what is and is not translated).
 */
const THEMES = tagTable({
  'asylum-seekers - refugees': { ru: 'Лица, ищущие убежища, и беженцы', be: 'Асобы, якія шукаюць прытулку, і бежанцы' },
  'cp rights - general': { ru: 'Гражданские и политические права — общие вопросы', be: 'Грамадзянскія і палітычныя правы — агульныя пытанні' },
  'civil society': { ru: 'Гражданское общество', be: 'Грамадзянская супольнасць' },
  corruption: { ru: 'Коррупция', be: 'Карупцыя' },
  'counter-terrorism': { ru: 'Борьба с терроризмом', be: 'Барацьба з тэрарызмам' },
  'death penalty': { ru: 'Смертная казнь', be: 'Смяротнае пакаранне' },
  detention: { ru: 'Содержание под стражей', be: 'Утрыманне пад вартай' },
  development: { ru: 'Развитие', be: 'Развіццё' },
  disabilities: { ru: 'Права людей с инвалидностью', be: 'Правы людзей з інваліднасцю' },
  'esc rights - general': { ru: 'Экономические, социальные и культурные права — общие вопросы', be: 'Эканамічныя, сацыяльныя і культурныя правы — агульныя пытанні' },
  elections: { ru: 'Выборы', be: 'Выбары' },
  'enforced disappearances': { ru: 'Насильственные исчезновения', be: 'Гвалтоўныя знікненні' },
  environment: { ru: 'Окружающая среда', be: 'Навакольнае асяроддзе' },
  'extrajudicial executions': { ru: 'Внесудебные казни', be: 'Пазасудовыя пакаранні смерцю' },
  'freedom of association and peaceful assembly': { ru: 'Свобода ассоциации и мирных собраний', be: 'Свабода аб’яднанняў і мірных сходаў' },
  'freedom of movement': { ru: 'Свобода передвижения', be: 'Свабода перамяшчэння' },
  'freedom of opinion and expression': { ru: 'Свобода мнений и их свободного выражения', be: 'Свабода меркаванняў і іх вольнага выказвання' },
  'freedom of religion and belief': { ru: 'Свобода религии и убеждений', be: 'Свабода рэлігіі і перакананняў' },
  'freedom of the press': { ru: 'Свобода прессы', be: 'Свабода прэсы' },
  general: { ru: 'Общие вопросы', be: 'Агульныя пытанні' },
  'hiv - aids': { ru: 'ВИЧ/СПИД', be: 'ВІЧ/СНІД' },
  'human rights defenders': { ru: 'Правозащитники', be: 'Праваабаронцы' },
  'human rights education and training': { ru: 'Образование и подготовка в области прав человека', be: 'Адукацыя і навучанне ў галіне правоў чалавека' },
  'human rights violations by state agents': { ru: 'Нарушения прав человека представителями государства', be: 'Парушэнні правоў чалавека прадстаўнікамі дзяржавы' },
  impunity: { ru: 'Безнаказанность', be: 'Беспакаранасць' },
  'indigenous peoples': { ru: 'Коренные народы', be: 'Карэнныя народы' },
  'internally displaced persons': { ru: 'Внутренне перемещённые лица', be: 'Унутрана перамешчаныя асобы' },
  'international humanitarian law': { ru: 'Международное гуманитарное право', be: 'Міжнароднае гуманітарнае права' },
  'international instruments': { ru: 'Международные договоры', be: 'Міжнародныя дагаворы' },
  justice: { ru: 'Правосудие', be: 'Правасуддзе' },
  labour: { ru: 'Трудовые права', be: 'Працоўныя правы' },
  lgbti: { ru: 'Права ЛГБТИ', be: 'Правы ЛГБТІ' },
  migrants: { ru: 'Мигранты', be: 'Мігранты' },
  minorities: { ru: 'Меньшинства', be: 'Меншасці' },
  nhri: { ru: 'Национальное правозащитное учреждение', be: 'Нацыянальная праваабарончая ўстанова' },
  'national plan of action': { ru: 'Национальный план действий', be: 'Нацыянальны план дзеянняў' },
  other: { ru: 'Другое', be: 'Іншае' },
  poverty: { ru: 'Бедность', be: 'Беднасць' },
  privacy: { ru: 'Неприкосновенность частной жизни', be: 'Недатыкальнасць прыватнага жыцця' },
  'public security': { ru: 'Общественная безопасность', be: 'Грамадская бяспека' },
  'racial discrimination': { ru: 'Расовая дискриминация', be: 'Расавая дыскрымінацыя' },
  'right to education': { ru: 'Право на образование', be: 'Права на адукацыю' },
  'right to food': { ru: 'Право на питание', be: 'Права на харчаванне' },
  'right to health': { ru: 'Право на здоровье', be: 'Права на здароўе' },
  'right to housing': { ru: 'Право на жильё', be: 'Права на жыллё' },
  'right to land': { ru: 'Право на землю', be: 'Права на зямлю' },
  'rights of the child': { ru: 'Права ребёнка', be: 'Правы дзіцяці' },
  'sexual orientation and gender identity': { ru: 'Сексуальная ориентация и гендерная идентичность', be: 'Сексуальная арыентацыя і гендарная ідэнтычнасць' },
  'special procedures': { ru: 'Специальные процедуры', be: 'Спецыяльныя працэдуры' },
  statelessness: { ru: 'Безгражданство', be: 'Безграмадзянства' },
  'technical assistance and cooperation': { ru: 'Техническая помощь и сотрудничество', be: 'Тэхнічная дапамога і супрацоўніцтва' },
  'torture and other cid treatment': {
    ru: 'Пытки и другие жестокие, бесчеловечные или унижающие достоинство виды обращения',
    be: 'Катаванні і іншыя жорсткія, бесчалавечныя або зневажальныя віды абыходжання',
  },
  trafficking: { ru: 'Торговля людьми', be: 'Гандаль людзьмі' },
  'treaty bodies': { ru: 'Договорные органы', be: 'Дагаворныя органы' },
  'upr process': { ru: 'Процесс УПО', be: 'Працэс УПА' },
  'water and sanitation': { ru: 'Право на воду и санитарию', be: 'Права на ваду і санітарыю' },
  "women's rights": { ru: 'Права женщин', be: 'Правы жанчын' },
} satisfies Record<string, TagWords>);

/** A theme as a reader of `language` (en, ru, be, or a longer tag such as ru-RU) sees it. */
export function themeLabel(theme: string, language: string): string {
  return tagLabel(THEMES, theme, language);
}

/** Themes as a reader sees them, in the order of their language. */
export function themeOptions(themes: readonly string[], language: string): Array<{ value: string; label: string }> {
  return tagOptions(THEMES, themes, language);
}
