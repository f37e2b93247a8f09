/**
 * The DOCX written part by part, for plans too large to build whole: `docx` makes the whole
 * document as objects, then as one XML tree and one string, then zips it, which for a
 * 200-section plan took 700 MB of the export worker. Here the body is given as pieces, made one
 * at a time (a section of the plan, a recommendation, …): each is formatted to XML on its own and
 * written to a scratch file at once, so only one piece is ever in memory. What formatting a piece
 * adds to the rest of the package (list instances in numbering.xml, hyperlink relationships) is
 * collected by docx's File as it goes; the other parts (styles, headers, footers, numbering,
 * relationships) are packed by docx afterwards from a File with the same sections and no body,
 * and the zip's word/document.xml is streamed from the scratch file (jszip, streamFiles).
 *
 * What docx does after it has the whole body, done here as the pieces pass: the section
 * properties go into the last paragraph of their section (or an empty one after a table), and
 * the contents (a TOC field) are filled in with an entry per Heading 1–2, each a hyperlink to a
 * bookmark `_Toc<id>` put on its heading, with a PAGEREF to it. The contents come before the
 * headings they list, so the body after them is kept in the scratch file until they are known.
 * There are no page numbers: this writer is for documents too large to lay out (docx.ts,
 * PAGE_ESTIMATE_LIMIT), whose contents Word fills in when it opens them.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import {
  BookmarkEnd,
  BookmarkStart,
  bookmarkUniqueNumericId,
  Document,
  type IContext,
  type IPropertiesOptions,
  type ISectionOptions,
  InternalHyperlink,
  LeaderType,
  Packer,
  PageReference,
  Paragraph,
  Tab,
  Table,
  TableOfContents,
  TabStopType,
  TextRun,
} from 'docx';
import JSZip from 'jszip';
import type { RowsOfTable } from './docxTables.ts';
import { childrenOf, nameOf, paragraphStyleOf, paragraphTextOf, stringifyXml, type XmlTree } from './docxXml.ts';

/** What a DOCX body is made of: paragraphs, tables (a long one row by row), the contents. */
export type DocxBlock = Paragraph | Table | TableOfContents | RowsOfTable;

/** The blocks as docx takes them, a long table made whole. */
export const wholeBlocks = (blocks: DocxBlock[]): Array<Paragraph | Table | TableOfContents> =>
  blocks.map((b) => (b instanceof Paragraph || b instanceof Table || b instanceof TableOfContents ? b : b.table([b.header, ...b.rows])));

export interface StreamedSection {
  /** The section's page set-up, header and footer, as for docx. */
  options: Omit<ISectionOptions, 'children'>;
  /** Its body, piece by piece, made as it is asked for. */
  body: Iterable<DocxBlock[]>;
}

/** The heading styles the contents list (the contents field's `\o "1-2"`). */
const CONTENTS_LEVELS: Record<string, number> = { Heading1: 1, Heading2: 2 };

interface ContentsEntry {
  title: string;
  level: number;
  bookmark: string;
}

/** Puts a bookmark around the content of a formatted heading, as docx does for the headings its contents list. */
function bookmarkHeading(paragraph: XmlTree, name: string, id: number, context: IContext) {
  const children = childrenOf(paragraph);
  const start = children.findIndex((c) => nameOf(c) === 'w:pPr') + 1;
  paragraph['w:p'] = [
    ...children.slice(0, start),
    new BookmarkStart(name, id).prepForXml(context),
    ...children.slice(start),
    new BookmarkEnd(id).prepForXml(context),
  ];
}

/** A paragraph's XML with the properties of the section it ends (`<w:sectPr>`) put last in its own properties. */
function withSectionProperties(paragraphXml: string, sectPr: string): string {
  const open = /^<w:p(?:\s[^>]*)?(\/)?>/.exec(paragraphXml);
  if (!open) throw new Error('docx stream: a section must end with a paragraph');
  if (open[1]) return `${paragraphXml.slice(0, -2)}><w:pPr>${sectPr}</w:pPr></w:p>`;
  const rest = paragraphXml.slice(open[0].length);
  if (rest.startsWith('<w:pPr>')) {
    const end = rest.indexOf('</w:pPr>');
    return open[0] + rest.slice(0, end) + sectPr + rest.slice(end);
  }
  return `${open[0]}<w:pPr>${sectPr}</w:pPr>${rest}`;
}

/**
 * The contents field filled in with its entries, as docx fills one in from the headings: the
 * field's beginning (kept from the empty field docx writes) in the first entry, one paragraph per
 * entry, the field's end in a paragraph of its own.
 */
function filledContents(empty: XmlTree, entries: ContentsEntry[], textWidth: number, context: IContext): XmlTree {
  if (entries.length === 0) return empty;
  const content = childrenOf(empty).find((c) => nameOf(c) === 'w:sdtContent');
  const [beginParagraph, endParagraph] = childrenOf(content) as XmlTree[];
  const beginRun = childrenOf(beginParagraph).find((c) => nameOf(c) === 'w:r');
  const paragraphs = entries.map((entry, index) => {
    const formatted = new Paragraph({
      style: `TOC${entry.level}`,
      tabStops: [{ type: TabStopType.RIGHT, position: textWidth, leader: LeaderType.DOT }],
      children: [
        new InternalHyperlink({
          anchor: entry.bookmark,
          children: [new TextRun({ children: [entry.title] }), new TextRun({ children: [new Tab()] }), new PageReference(entry.bookmark, { hyperlink: true })],
        }),
      ],
    }).prepForXml(context) as XmlTree;
    if (index === 0 && beginRun) {
      const children = childrenOf(formatted);
      const at = children.findIndex((c) => nameOf(c) === 'w:pPr') + 1;
      formatted['w:p'] = [...children.slice(0, at), beginRun, ...children.slice(at)];
    }
    return formatted;
  });
  return { 'w:sdt': childrenOf(empty).map((c) => (nameOf(c) === 'w:sdtContent' ? { 'w:sdtContent': [...paragraphs, endParagraph] } : c)) };
}

/** Writes a string to a stream, waiting while the stream's buffer is full. */
async function put(out: Writable, s: string) {
  if (!out.write(s)) await once(out, 'drain');
}

/**
 * Writes the DOCX of `sections` into `out`, the body piece by piece. `contentsWidth` is the width
 * of the text the contents' page numbers are set against (twips); `scratchFile`, where the body
 * waits (by default a directory of its own in the system's temporary directory). Resolves once
 * `out` has finished.
 */
export async function writeDocxStreamed(
  options: Omit<IPropertiesOptions, 'sections'>,
  sections: StreamedSection[],
  out: Writable,
  contentsWidth: number,
  scratchFile?: string,
): Promise<void> {
  // The File with every section and no body: docx writes the section properties (with their
  // header and footer references) into its document.xml, and the other parts as for a whole one.
  const file = new Document({ ...options, sections: sections.map((s) => ({ ...s.options, children: [] })) });
  const skeleton = await (await JSZip.loadAsync(await Packer.toBuffer(file))).file('word/document.xml')!.async('string');
  const bodyAt = skeleton.indexOf('<w:body>') + '<w:body>'.length;
  const head = skeleton.slice(0, bodyAt);
  const tail = skeleton.slice(skeleton.lastIndexOf('</w:body>'));
  const sectPrs = [...skeleton.matchAll(/<w:sectPr\b[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
  if (sectPrs.length !== sections.length) throw new Error(`docx stream: ${sectPrs.length} section properties for ${sections.length} sections`);

  const context: IContext = { viewWrapper: file.Document, file, stack: [] };
  // A list's paragraphs carry its instance as a placeholder ("{accord-number-3}"), numbered once
  // docx has made the instance, as docx's NumberingReplacer does for a whole document.
  const numbered = (xml: string) => {
    if (!xml.includes('{')) return xml;
    const ids = new Map(
      file.Numbering.ConcreteNumbering.map((n) => [n.restartedListId === undefined ? `${n.reference}-${n.instance}` : `${n.reference}-restart ${n.restartedListId}`, String(n.numId)]),
    );
    return xml.replace(/\{([^{}]+)\}/g, (whole, key: string) => ids.get(key) ?? whole);
  };

  // The body after the contents waits here until the contents are known. The export worker puts
  // it beside the export's part file, where the job removes it if the worker is stopped.
  const scratch = scratchFile ? null : await mkdtemp(join(tmpdir(), 'accord-docx-'));
  const bodyFile = scratchFile ?? join(scratch!, 'body.xml');
  try {
    const body = createWriteStream(bodyFile);
    const bodyDone = finished(body);
    let written = 0;
    const write = async (s: string) => {
      written += Buffer.byteLength(s);
      await put(body, s);
    };
    const entries: ContentsEntry[] = [];
    let contents: { table: XmlTree; at: number } | null = null;

    const xmlOf = (block: Paragraph | Table): XmlTree => {
      const tree = block.prepForXml(context) as XmlTree;
      if (nameOf(tree) === 'w:p') {
        const style = paragraphStyleOf(tree);
        const level = style === undefined ? undefined : CONTENTS_LEVELS[style];
        const title = level === undefined ? '' : paragraphTextOf(tree);
        if (level !== undefined && title.trim() !== '') {
          const id = bookmarkUniqueNumericId();
          entries.push({ title, level, bookmark: `_Toc${id}` });
          bookmarkHeading(tree, `_Toc${id}`, id, context);
        }
      }
      return tree;
    };
    /** Writes a block; a long table its header first, then row by row, each row formatted on its own. */
    const writeBlock = async (block: Paragraph | Table | RowsOfTable) => {
      if (block instanceof Paragraph || block instanceof Table) return write(numbered(stringifyXml(xmlOf(block))));
      const opening = stringifyXml(xmlOf(block.table([block.header])));
      const close = opening.lastIndexOf('</w:tbl>');
      await write(opening.slice(0, close));
      // Each row goes through a table of its own, which gives its cells the columns' widths.
      for (const row of block.rows) {
        const xml = stringifyXml(xmlOf(block.table([row])));
        await write(numbered(xml.slice(xml.search(/<w:tr[ >]/), xml.lastIndexOf('</w:tbl>'))));
      }
      await write(opening.slice(close));
    };

    for (const [index, section] of sections.entries()) {
      const last = index === sections.length - 1;
      // The last block of each section is held back: the section's properties go into it.
      let held: Paragraph | Table | RowsOfTable | null = null;
      for (const piece of section.body) {
        for (const block of piece) {
          if (held) await writeBlock(held);
          held = null;
          if (block instanceof TableOfContents) contents = { table: block.prepForXml(context) as XmlTree, at: written };
          else held = block;
        }
      }
      const sectPr = sectPrs[index]!;
      if (last) {
        if (held) await writeBlock(held);
        await write(sectPr);
      } else if (held instanceof Paragraph) await write(withSectionProperties(numbered(stringifyXml(xmlOf(held))), sectPr));
      else {
        if (held) await writeBlock(held);
        await write(`<w:p><w:pPr>${sectPr}</w:pPr></w:p>`);
      }
    }
    body.end();
    await bodyDone;

    // The other parts, now that the body has added its list instances and relationships.
    // No folder entries, as docx zips it.
    const zip = await JSZip.loadAsync(await Packer.toBuffer(file), { createFolders: false });
    const contentsXml = contents ? stringifyXml(filledContents(contents.table, entries, contentsWidth, context)) : '';
    const at = contents?.at ?? 0;
    async function* documentXml() {
      yield Buffer.from(head);
      if (at > 0) yield* createReadStream(bodyFile, { end: at - 1 });
      yield Buffer.from(contentsXml);
      yield* createReadStream(bodyFile, { start: at });
      yield Buffer.from(tail);
    }
    zip.file('word/document.xml', Readable.from(documentXml()), { createFolders: false });
    await pipeline(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } }), out);
  } finally {
    await rm(scratch ?? bodyFile, { recursive: true, force: true });
  }
}
