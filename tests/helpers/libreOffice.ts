/**
 * Converting a document to PDF with LibreOffice (`soffice --headless --convert-to pdf`), to see the
 * pages a reader of the DOCX gets: LibreOffice lays the document out itself, fields and all.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { findTool } from './tools.ts';

const run = promisify(execFile);

/** The path of a tool the layout tests need, or an error saying which Debian package brings it. */
export function requireTool(name: string, debianPackage: string): string {
  const path = findTool(name);
  if (!path) throw new Error(`${name} is not installed: this test needs it (apt-get install -y ${debianPackage}).`);
  return path;
}

/**
 * Fails unless LibreOffice sets `typeface` in `twin`, a typeface of the same widths: the DOCX's page
 * numbers are worked out with Word's typeface, and LibreOffice breaks pages where Word does only
 * with its twin (otherwise fontconfig picks some other typeface, wider or narrower).
 */
export async function requireTwin(typeface: string, twin: string, debianPackage: string): Promise<void> {
  const fcMatch = requireTool('fc-match', 'fontconfig');
  const { stdout } = await run(fcMatch, ['-f', '%{family}', typeface]);
  if (!stdout.split(',').includes(twin))
    throw new Error(`LibreOffice would set ${typeface} in ${stdout}, not ${twin}: this test needs ${twin} (apt-get install -y ${debianPackage}).`);
}

/**
 * Converts `bytes` (a file named `name`) to PDF in `outDir` and returns the PDF's path. Each call has
 * a fresh LibreOffice profile, so runs in parallel do not share (and wait on) one; the first start
 * of a profile is slow, hence the long timeout.
 */
export async function convertToPdf(bytes: Buffer, name: string, outDir: string, timeoutMs = 180_000): Promise<string> {
  const soffice = requireTool('soffice', 'libreoffice-writer-nogui');
  const work = mkdtempSync(join(tmpdir(), 'accord-lo-'));
  try {
    const input = join(work, name);
    writeFileSync(input, bytes);
    await run(soffice, [`-env:UserInstallation=${pathToFileURL(join(work, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, input], {
      timeout: timeoutMs,
    });
    return join(outDir, basename(name).replace(/\.[^.]+$/, '') + '.pdf');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
