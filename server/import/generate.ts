import Papa from 'papaparse';
import { compareKey } from './normalise.ts';

/**
 * Deterministic generator of UPR Info-shaped CSV for load tests (the 40,000-row import benchmark).
 * Texts are real recommendations Belarus received in its first UPR (UPR Info export of A/HRC/15/16),
 * varied with a few neutral closing clauses so that rows are not all identical; States under review,
 * recommending States and sessions are drawn from real names and ranges. About 6% of rows repeat
 * the previous row's text for another State, as UPR Info does for joint recommendations. The
 * output is realistic in shape, not in content: it is not data about any State.
 */

/** Real texts from the Belarus session-8 UPR Info export, with their Issue tags and action category. */
const BASE: ReadonlyArray<readonly [text: string, issues: string, action: number]> = [
  ["Examine the possibility of putting in place a national institution for the defence of human rights accredited by the International Coordinating Committee of National Institutions for the Promotion and Protection of Human Rights", "NHRI", 3],
  ["Pursue and intensify its initiatives in the area of fighting against human trafficking, a form of modern slavery", "Trafficking", 4],
  ["Ensure fair trials and strictly respect the absolute prohibition of torture, including ensuring that confessions or information obtained as a result of torture and other ill treatment must not be used as evidence", "Justice,Torture and other CID treatment", 5],
  ["Further improve the living conditions in prisons and pre-trial detention centres", "Detention", 4],
  ["Continue to implement its comprehensive programme to combat human trafficking and to encourage all cooperation with the relevant international organizations in this respect", "Trafficking", 2],
  ["Share its best practices in the area of combating trafficking in women and children with other countries in contemporary situation", "Rights of the Child,Trafficking,Women's rights", 1],
  ["Take the necessary measures, namely in the legislative field, to ensure an independent, free and diversified press", "Freedom of the press", 4],
  ["Continue to expand and strengthen the existing efforts in human rights education", "Human rights education and training", 2],
  ["Continue working to eradicate all forms of discrimination against women, especially in the workplace", "Women's rights", 2],
  ["Declare a moratorium on executions with a view to abolishing the death penalty", "Death penalty", 5],
  ["Ratify the Optional Protocol to the Convention against Torture and other Cruel, Inhuman or Degrading Treatment or Punishment", "Detention,International instruments,Torture and other CID treatment", 5],
  ["Review the legislative framework to re-assure the full implementation of the freedom of speech", "Freedom of opinion and expression", 3],
  ["Create a positive environment for the activities of human rights organizations and other independent non-governmental organizations, notably by eliminating obstacles to their official registration", "Civil society", 4],
  ["Ensure and apply transparent and non-discriminatory decision-making processes with regard to the registration of media outlets and the accreditation of foreign journalists", "Freedom of opinion and expression,Freedom of the press", 4],
  ["Continue to strengthen the guarantee of women's rights and promote the social status of women, in accordance with the relevant international treaties", "International instruments,Women's rights", 2],
  ["Accede to the Optional Protocol to the Convention against Torture and other Cruel, Inhuman or Degrading Treatment or Punishment", "Detention,International instruments,Torture and other CID treatment", 5],
  ["Introduce a moratorium on the death penalty with a view to the future abolition of capital punishment, and ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights", "Death penalty,International instruments", 5],
  ["Create a favourable institutional framework to improve the condition of women by integrating them into social, economic and political life", "Women's rights", 4],
  ["Continue its efforts to secure the economic and social rights of the people in spite of the global financial crisis", "ESC rights - general", 2],
  ["Consider the establishment of a national human rights institution in accordance with the Paris Principles", "NHRI", 3],
  ["Strengthen its cooperation with the international human rights system, through the timely submission of periodic reports to the relevant treaty bodies", "Treaty bodies", 5],
  ["Sign and ratify, within the optimal time frame, the International Convention on the Protection of All Persons from Enforced Disappearance", "Enforced disappearances,International instruments", 5],
  ["Engage with other mandate holders, especially with the special rapporteurs on the right to freedom of expression, on human rights defenders and on torture", "Freedom of opinion and expression,Human rights defenders,Special procedures,Torture and other CID treatment", 4],
  ["Continue its constructive engagement with civil society to enable tangible results on the ground through their joint undertakings in the promotion and protection of human rights in the country", "Civil society", 2],
  ["Continue its efforts to enhance the rights of women and children and the institution of the family within the framework of national policies and strategies", "Rights of the Child,Women's rights", 2],
  ["Bring its Law on Mass Events into line with the requirements of the International Covenant on Civil and Political Rights", "CP rights - general,International instruments", 5],
  ["Adopt a moratorium on the use of the death penalty with a view to its abolition", "Death penalty", 5],
  ["Continue efforts and share best practices on combating human trafficking both nationally and internationally by closely cooperating with concerned parties", "Trafficking", 4],
  ["Strengthen the status of women, protect motherhood and provide support to the family, which is the nucleus of society", "Women's rights", 4],
  ["Develop a favourable environment for the functioning of all non-governmental organizations and political parties, including simplifying registration procedures", "Civil society", 4],
  ["Simplify the issuance of permissions for holding assemblies", "Freedom of association and peaceful assembly", 4],
  ["Step up efforts in ensuring that the development and poverty alleviation programmes fully benefit the vulnerable groups, including minority and indigenous communities and rural women", "Development,Indigenous peoples,Minorities,Poverty,Women's rights", 4],
  ["Solicit the technical and financial assistance that it believes necessary to accompany it in its projects of human and social development", "Technical assistance and cooperation", 1],
  ["Continue its efforts to achieve other Millennium Development Goals, in accordance with the human rights priorities that the State has established in its national policy", "Development", 2],
  ["Extend full cooperation to the United Nations special procedures, and ensure that overdue reports to the United Nations treaty bodies are submitted as a matter of priority", "Special procedures,Treaty bodies", 5],
  ["Continue hosting and sponsoring international conferences to promote a constructive dialogue among the different religions and beliefs", "Freedom of religion and belief", 2],
  ["Adopt the measures necessary to stop domestic violence, in particular with regard to the rights of women, and take measures aimed at protecting the victims of domestic violence", "Women's rights", 4],
  ["Continue the positive work in combating racial discrimination and other forms of intolerance", "Racial discrimination", 2],
  ["Continue its cooperation with the Office of the United Nations High Commissioner for Human Rights, in particular with a view to implementing accepted recommendations made during the universal periodic review", "UPR process", 2],
  ["Extend a moratorium on the death penalty, make public the number of sentences and executions carried out, and consider the ratification of the Second Optional Protocol to the International Covenant on Civil and Political Rights", "Death penalty,International instruments", 5],
];

/** Neutral variations appended to texts, so generated rows differ the way real ones do. */
const CLAUSES = [
  '',
  '',
  '',
  ', in line with its international obligations',
  ', in cooperation with civil society',
  ', with the technical assistance of OHCHR',
  ', and report on progress at the next review',
  ', including through adequate budget allocation',
  ', in consultation with national human rights institutions',
  ', as a matter of priority',
];

/** [State, regional group, organisations] as UPR Info lists them. */
const STATES: ReadonlyArray<readonly [string, string, string]> = [
  ['Algeria', 'Africa', 'AU, OIC, AL'],
  ['Argentina', 'GRULAC', ''],
  ['Armenia', 'EEG', 'CIS, OIF'],
  ['Australia', 'WEOG', 'Commonwealth'],
  ['Austria', 'WEOG', 'EU, OIF'],
  ['Azerbaijan', 'EEG', 'CIS, OIC'],
  ['Bangladesh', 'Asia', 'Commonwealth, OIC'],
  ['Belgium', 'WEOG', 'EU, OIF'],
  ['Bolivia', 'GRULAC', ''],
  ['Brazil', 'GRULAC', ''],
  ['Canada', 'WEOG', 'Commonwealth, OIF'],
  ['Chile', 'GRULAC', ''],
  ['China', 'Asia', ''],
  ['Cuba', 'GRULAC', ''],
  ['Czech Republic', 'EEG', 'EU, OIF'],
  ['Egypt', 'Africa', 'AU, OIC, AL, OIF'],
  ['Finland', 'WEOG', 'EU'],
  ['France', 'WEOG', 'EU, OIF'],
  ['Germany', 'WEOG', 'EU'],
  ['Ghana', 'Africa', 'AU, Commonwealth'],
  ['Hungary', 'EEG', 'EU'],
  ['India', 'Asia', 'Commonwealth'],
  ['Indonesia', 'Asia', 'OIC'],
  ['Ireland', 'WEOG', 'EU'],
  ['Italy', 'WEOG', 'EU'],
  ['Japan', 'Asia', ''],
  ['Kazakhstan', 'Asia', 'CIS, OIC'],
  ['Kenya', 'Africa', 'AU, Commonwealth'],
  ['Lithuania', 'EEG', 'EU'],
  ['Malaysia', 'Asia', 'Commonwealth, OIC'],
  ['Mexico', 'GRULAC', ''],
  ['Morocco', 'Africa', 'OIC, AL, OIF'],
  ['Netherlands', 'WEOG', 'EU'],
  ['Nigeria', 'Africa', 'AU, Commonwealth, OIC'],
  ['Norway', 'WEOG', ''],
  ['Poland', 'EEG', 'EU'],
  ['Portugal', 'WEOG', 'EU'],
  ['Russian Federation', 'EEG', 'CIS'],
  ['Senegal', 'Africa', 'AU, OIC, OIF'],
  ['Sierra Leone', 'Africa', 'AU, Commonwealth, OIC'],
  ['Slovenia', 'EEG', 'EU'],
  ['South Africa', 'Africa', 'AU, Commonwealth'],
  ['Spain', 'WEOG', 'EU'],
  ['Sweden', 'WEOG', 'EU'],
  ['Switzerland', 'WEOG', 'OIF'],
  ['Thailand', 'Asia', ''],
  ['Tunisia', 'Africa', 'AU, OIC, AL, OIF'],
  ['Ukraine', 'EEG', ''],
  ['United Kingdom', 'WEOG', 'EU, Commonwealth'],
  ['Uruguay', 'GRULAC', ''],
  ['Uzbekistan', 'Asia', 'CIS, OIC'],
  ['Viet Nam', 'Asia', 'OIF'],
];

/** Response words with rough real-world frequencies (UPR Info: mostly Accepted, many Noted). */
const RESPONSES: ReadonlyArray<readonly [string, number]> = [
  ['Accepted', 0.62],
  ['Noted', 0.3],
  ['Partially accepted', 0.04],
  ['', 0.04],
];

/** mulberry32: tiny, fast, deterministic PRNG; quality is ample for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const UPR_INFO_HEADER = ['To', 'To-Rgrp', 'To-Org', 'Text', 'From', 'From-Rgrp', 'From-Org', 'Response', 'Action', 'Issue', 'Session'];

/**
 * A UPR Info-style CSV (header + `rows` data rows, CRLF like the real export) that parses with no
 * rejected rows. Same `rows` and `seed` → byte-identical output.
 */
export function generateUprInfoCsv(rows: number, seed: number): string {
  const rand = prng(seed);
  const pick = <T>(list: ReadonlyArray<T>): T => list[Math.floor(rand() * list.length)]!;
  const used = new Set<string>();
  const responses = new Map<string, string>();
  const data: string[][] = [];
  interface Prev {
    to: (typeof STATES)[number];
    text: string;
    session: number;
    response: string;
    base: (typeof BASE)[number];
  }
  let prev: Prev | null = null;

  while (data.length < rows) {
    const last: Prev | null = prev;
    const joint: Prev | null = last !== null && rand() < 0.06 ? last : null;
    const to: Prev['to'] = joint ? joint.to : pick(STATES);
    const base: Prev['base'] = joint ? joint.base : pick(BASE);
    const session: number = joint ? joint.session : 1 + Math.floor(rand() * 54);
    const text: string = joint ? joint.text : base[0] + pick(CLAUSES);
    // One response per recommendation: rows that land on the same State, session and text
    // (by chance or as a joint recommendation) get the same response, as in real exports.
    const groupKey = `${to[0]}|${session}|${compareKey(text)}`;
    let response: string = responses.get(groupKey) ?? 'Accepted';
    if (!responses.has(groupKey)) {
      let r = rand();
      for (const [word, p] of RESPONSES) {
        response = word;
        if ((r -= p) < 0) break;
      }
    }
    const from = pick(STATES);
    // A State never recommends to itself, and never makes the same recommendation twice in a
    // session (that would be a duplicate row, which the importer rejects).
    const key = `${groupKey}|${from[0]}`;
    if (from[0] === to[0] || used.has(key)) {
      prev = null;
      continue;
    }
    used.add(key);
    responses.set(groupKey, response);
    data.push([to[0], to[1], to[2], text, from[0], from[1], from[2], response, String(base[2]), base[1], String(session)]);
    prev = { to, text, session, response, base };
  }
  return Papa.unparse({ fields: UPR_INFO_HEADER, data }, { newline: '\r\n' }) + '\r\n';
}
