import { tagLabel, tagOptions, tagTable, type TagWords } from './tagWords.ts';

/**
 * The groups of persons the Universal Human Rights Index tags recommendations with ("Persons
 * deprived of their liberty"), in Russian and Belarusian, in the wording UN documents in Russian
 * use. Imported files keep UHRI's English names; only what a reader sees is translated
 * (tagWords.ts), and a group not listed here is shown as the file wrote it.
 */
const AFFECTED_PERSONS = tagTable({
  general: { ru: 'Население в целом', be: 'Насельніцтва ў цэлым' },
  children: { ru: 'Дети', be: 'Дзеці' },
  'children in street situations': { ru: 'Дети, находящиеся в уличной ситуации', be: 'Дзеці ў вулічнай сітуацыі' },
  girls: { ru: 'Девочки', be: 'Дзяўчынкі' },
  boys: { ru: 'Мальчики', be: 'Хлопчыкі' },
  women: { ru: 'Женщины', be: 'Жанчыны' },
  'women & girls': { ru: 'Женщины и девочки', be: 'Жанчыны і дзяўчынкі' },
  youth: { ru: 'Молодёжь', be: 'Моладзь' },
  'older persons': { ru: 'Пожилые люди', be: 'Пажылыя людзі' },
  'persons with disabilities': { ru: 'Люди с инвалидностью', be: 'Людзі з інваліднасцю' },
  'persons with albinism': { ru: 'Люди с альбинизмом', be: 'Людзі з альбінізмам' },
  migrants: { ru: 'Мигранты', be: 'Мігранты' },
  'migrant workers': { ru: 'Трудящиеся-мигранты', be: 'Працоўныя-мігранты' },
  'refugees & asylum-seekers': { ru: 'Беженцы и лица, ищущие убежища', be: 'Бежанцы і асобы, якія шукаюць прытулку' },
  'internally displaced persons': { ru: 'Внутренне перемещённые лица', be: 'Унутрана перамешчаныя асобы' },
  'stateless persons': { ru: 'Лица без гражданства', be: 'Асобы без грамадзянства' },
  'non-citizens': { ru: 'Неграждане', be: 'Неграмадзяне' },
  minorities: { ru: 'Меньшинства', be: 'Меншасці' },
  'members of minorities': { ru: 'Лица, принадлежащие к меньшинствам', be: 'Асобы, якія належаць да меншасцей' },
  'minorities/ racial, ethnic, linguistic, religious or descent-based groups': {
    ru: 'Меньшинства, расовые, этнические, языковые, религиозные группы и группы по признаку происхождения',
    be: 'Меншасці, расавыя, этнічныя, моўныя, рэлігійныя групы і групы паводле паходжання',
  },
  roma: { ru: 'Рома', be: 'Ромы' },
  'persons of african descent': { ru: 'Лица африканского происхождения', be: 'Асобы афрыканскага паходжання' },
  'indigenous peoples': { ru: 'Коренные народы', be: 'Карэнныя народы' },
  'persons deprived of their liberty': { ru: 'Лица, лишённые свободы', be: 'Асобы, пазбаўленыя волі' },
  'human rights defenders': { ru: 'Правозащитники', be: 'Праваабаронцы' },
  journalists: { ru: 'Журналисты', be: 'Журналісты' },
  media: { ru: 'Средства массовой информации', be: 'Сродкі масавай інфармацыі' },
  'civil society': { ru: 'Гражданское общество', be: 'Грамадзянская супольнасць' },
  'judges, lawyers and prosecutors': { ru: 'Судьи, адвокаты и прокуроры', be: 'Суддзі, адвакаты і пракуроры' },
  'law enforcement / police officials': { ru: 'Сотрудники правоохранительных органов и полиции', be: 'Супрацоўнікі праваахоўных органаў і паліцыі' },
  'public officials': { ru: 'Государственные должностные лица', be: 'Дзяржаўныя службовыя асобы' },
  'lesbian, gay, bisexual, transgender and intersex persons': {
    ru: 'Лесбиянки, геи, бисексуалы, трансгендерные и интерсекс-люди',
    be: 'Лесбіянкі, геі, бісексуалы, трансгендарныя і інтэрсэкс-людзі',
  },
  'lgbti persons': { ru: 'ЛГБТИ-люди', be: 'ЛГБТІ-людзі' },
  'persons living in poverty': { ru: 'Люди, живущие в бедности', be: 'Людзі, якія жывуць у беднасці' },
  'persons living in rural areas': { ru: 'Сельские жители', be: 'Сельскія жыхары' },
  'persons living with hiv/aids': { ru: 'Люди, живущие с ВИЧ/СПИДом', be: 'Людзі, якія жывуць з ВІЧ/СНІДам' },
  'persons affected by armed conflict': { ru: 'Лица, затронутые вооружённым конфликтом', be: 'Асобы, закранутыя ўзброеным канфліктам' },
  'victims of trafficking': { ru: 'Жертвы торговли людьми', be: 'Ахвяры гандлю людзьмі' },
} satisfies Record<string, TagWords>);

/** A group of persons as a reader of `language` sees it. */
export function affectedLabel(group: string, language: string): string {
  return tagLabel(AFFECTED_PERSONS, group, language);
}

/** Groups of persons as a reader sees them, in the order of their language. */
export function affectedOptions(groups: readonly string[], language: string): Array<{ value: string; label: string }> {
  return tagOptions(AFFECTED_PERSONS, groups, language);
}
