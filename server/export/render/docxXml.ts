/**
 * XML of one piece of a DOCX body at a time, for the streamed DOCX writer (docxStream.ts).
 *
 * docx turns its objects into a tree of plain objects (`prepForXml`, the shape the `xml` package
 * took: `{ "w:p": [{ "w:pPr": … }, …] }`) and writes the tree as a string, but only for a whole
 * part: its writer is not exported. This is the same writer, without indentation (docx packs
 * without it), byte for byte: `stringifyXmlable` of docx's src/util/xml/stringify.ts, quirks
 * included, so a streamed document.xml reads exactly as one docx wrote whole.
 */

/** A formatted element, as docx's `prepForXml` gives it. */
export type XmlTree = Record<string, unknown>;

const ESCAPES = new Map([
  ['&', '&amp;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
]);
// Control characters XML 1.0 cannot hold are dropped, as docx does.
// eslint-disable-next-line no-control-regex
const escapeAll = (value: string) => value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES.get(c) ?? '');
const escapeValue = (value: unknown) => (typeof value === 'string' ? escapeAll(value) : value);

interface Resolved {
  name: string | undefined;
  attributes: string[];
  content: Array<Resolved | unknown>;
}

function resolve(data: XmlTree): Resolved {
  const name = Object.keys(data)[0];
  const values = name === undefined ? undefined : data[name];
  const attributes: string[] = [];
  const content: Array<Resolved | unknown> = [];
  const addAttributes = (attr: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(attr)) attributes.push(`${key}="${String(escapeValue(value))}"`);
  };
  if (typeof values === 'object') {
    if (values !== null) {
      const { _attr: attr, _cdata: cdata } = values as { _attr?: Record<string, unknown>; _cdata?: string };
      if (attr) addAttributes(attr);
      if (cdata) content.push(`<![CDATA[${cdata.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`);
      if (Array.isArray(values)) {
        let isStringContent = false;
        content.push('');
        for (const value of values as unknown[]) {
          if (typeof value === 'object' && value !== null) {
            if (Object.keys(value)[0] === '_attr') addAttributes((value as { _attr: Record<string, unknown> })._attr);
            else content.push(resolve(value as XmlTree));
          } else {
            content.pop();
            isStringContent = true;
            content.push(escapeValue(value));
          }
        }
        if (!isStringContent) content.push('');
      }
    }
  } else content.push(escapeValue(values));
  return { name, attributes, content };
}

function format(element: Resolved | unknown): string {
  if (typeof element !== 'object' || element === null) return String(element);
  const { name, attributes, content } = element as Resolved;
  const open = (name ? `<${name}` : '') + (attributes.length > 0 ? ` ${attributes.join(' ')}` : '') + (content.length > 0 ? (name ? '>' : '') : '/>');
  if (content.length === 0) return open;
  return open + content.map((child) => (child === undefined ? '' : format(child))).join('') + (name ? `</${name}>` : '');
}

/** The XML of a formatted element. */
export const stringifyXml = (tree: XmlTree): string => format(resolve(tree));

/** The name of a formatted element (or `_attr` for its parent's attributes). */
export const nameOf = (element: unknown): string | undefined =>
  typeof element === 'object' && element !== null ? Object.keys(element)[0] : undefined;

/** The children of a formatted element; one with only attributes has them as its one child. */
export function childrenOf(element: unknown): unknown[] {
  const name = nameOf(element);
  const content = name === undefined ? undefined : (element as XmlTree)[name];
  return Array.isArray(content) ? content : content === undefined ? [] : [content];
}

const childOf = (element: unknown, name: string) => childrenOf(element).find((c) => nameOf(c) === name);

/** The paragraph style of a formatted paragraph (its `w:pStyle`), if it has one. */
export function paragraphStyleOf(paragraph: unknown): string | undefined {
  const style = childOf(childOf(paragraph, 'w:pPr'), 'w:pStyle');
  const attr = childOf(style, '_attr') as { _attr?: Record<string, unknown> } | undefined;
  const value = attr?._attr?.['w:val'];
  return typeof value === 'string' ? value : undefined;
}

const TEXT_CONTAINERS = new Set(['w:r', 'w:hyperlink']);

/** The text of a formatted paragraph of plain runs (a heading's). */
export function paragraphTextOf(element: unknown): string {
  return childrenOf(element)
    .map((child) => {
      const name = nameOf(child);
      if (name === 'w:t') return childrenOf(child).filter((c): c is string => typeof c === 'string').join('');
      return name !== undefined && TEXT_CONTAINERS.has(name) ? paragraphTextOf(child) : '';
    })
    .join('');
}
