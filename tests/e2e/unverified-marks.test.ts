import { execFileSync } from 'node:child_process';
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLIENT_DIR, OUTPUT_DIR, screenshotPath, useBrowser, openSignedIn, editorOf } from '../helpers/browser.ts';
import { addAction, exportPlan, ok, writeSection } from '../helpers/exportPlan.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { findTool } from '../helpers/tools.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';

/**
 * An organisation nobody verified, shown as such wherever people meet it, in real browsers: a
 * self-named "Ministry of Justice" comments and writes beside the coordinator, who sees the mark
 * on its comment, its caret and its presence; the Helsinki Committee, whose verification was
 * withdrawn after it signed, is marked among the outline's signers, on its dissenting position and
 * in the exported PDF's reservations annex. Screenshots: test-output/annex-*.png.
 */
let server: TestServer | undefined;
const peers: Peer[] = [];
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
  server = undefined;
});

const IMPOSTOR = { name: 'Viktar Impostor', email: 'viktar@mail.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const HELSINKI = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const RESERVATION = 'Signed subject to a public consultation on the bill within six months.';
const POSITION = 'The bill must be drafted with civil society, not only shown to it.';


const openAs = (base: string, email: string, password: string, url: string) => openSignedIn(newPage, base, email, password, url);

describe('unverified organisations, marked wherever they appear', () => {
  it('in comments, carets, presence, the outline, positions, actions and the exported annex', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server);
    const impostor = await addMember(server, coordinator, planId, 'drafter', IMPOSTOR, { verify: false });
    const helsinki = await addMember(server, coordinator, planId, 'drafter', HELSINKI);

    // --- Section 1: an action led by the self-named ministry; the committee dissents on it, signs with a reservation, the coordinator signs.
    await writeSection(server, planId, sectionId, {
      heading: 'Death penalty',
      paragraph: 'Belarus retains the death penalty.',
      bullets: ['Introduce a moratorium'],
      numbered: ['Draft the law'],
      table: [['Year', 'Sentences']],
    });
    const { action } = await addAction(coordinator, planId, sectionId, { lead: 'Prosecutor General', partner: 'Lawyers for Human Rights', recText: 'Abolish the death penalty', title: 'Prepare a moratorium bill' });
    await ok(coordinator.patch(`/api/plans/${planId}/actions/${action.id}`, { leadAgencyId: impostor.organisationId }));
    await ok(helsinki.client.post(`/api/plans/${planId}/sections/${sectionId}/positions`, { text: POSITION, actionId: action.id }), [201]);
    for (const [signer, reservation] of [[helsinki.client, RESERVATION], [coordinator, undefined]] as const) {
      const { currentHash } = await ok(signer.get(`/api/plans/${planId}/sections/${sectionId}/agreement`));
      await ok(signer.post(`/api/plans/${planId}/sections/${sectionId}/signoffs`, { contentHash: currentHash, ...(reservation ? { reservation } : {}) }), [201]);
    }
    expect((await ok(coordinator.get(`/api/plans/${planId}/sections/${sectionId}/agreement`))).status).toBe('agreed');
    // Afterwards the committee's verification is withdrawn: the section stays agreed, its signature marked.
    await ok(coordinator.request('DELETE', `/api/plans/${planId}/organisations/${helsinki.organisationId}/verification`, { reason: 'Registration could not be confirmed.' }));

    // --- Section 2: text, and a question from the self-named ministry on it.
    const outline = await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: 'Access to lawyers' }));
    const draftId: string = outline.chapters[0].sections.find((s: { title: string }) => s.title === 'Access to lawyers').id;
    const writer = connectPeer(base, coordinator, draftId);
    peers.push(writer);
    await writer.synced();
    writer.typeParagraph('Everyone detained has the right to a lawyer of their choice.');
    await eventually(async () => expect(sectionPlainText((await server!.sync.readDocument(sectionDocName(draftId)))!)).toContain('lawyer of their choice'));
    const text = (getSectionBody(writer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
    await ok(impostor.client.post(`/api/plans/${planId}/sections/${draftId}/threads`, { anchor: { start: rel(0), end: rel(17), quote: 'Everyone detained' }, body: 'Does this include administrative detention?' }), [201]);
    writer.destroy();

    // --- The coordinator and the self-named ministry both open section 2; he types.
    const draftUrl = `${base}/plans/${planId}/sections/${draftId}`;
    const olga = await openAs(base, 'olga@mfa.example', COORDINATOR_PASSWORD, draftUrl);
    const viktar = await openAs(base, IMPOSTOR.email, MEMBER_PASSWORD, draftUrl);
    await editorOf(viktar).click();
    await viktar.keyboard.press('Control+End');
    await viktar.keyboard.type(' Including at night.');
    // Back to the start of the line, so his caret's label is not cut off at the editor's right edge in the screenshot.
    await viktar.keyboard.press('Home');

    // His caret and his presence say his organisation is unverified; hers do not.
    await expect
      .poll(() => olga.locator('.collab-caret__label').allInnerTexts(), { timeout: 15_000 })
      .toEqual(['Viktar Impostor · Ministry of Justice (unverified)']);
    const viktarPresent = olga.locator('[data-testid=presence-item]', { hasText: 'Viktar Impostor' });
    await expect.poll(() => viktarPresent.getByTestId('presence-unverified').count()).toBe(1);
    const olgaPresent = olga.locator('[data-testid=presence-item]', { hasText: 'Olga Coordinator' });
    expect(await olgaPresent.getByTestId('presence-unverified').count()).toBe(0);
    // He sees himself marked too (his own entry comes from the members list, not the server's echo).
    await expect.poll(() => viktar.locator('[data-testid=presence-item]', { hasText: 'Viktar Impostor' }).getByTestId('presence-unverified').count()).toBe(1);

    // His comment is marked.
    const question = olga.getByTestId('comment').first();
    await expect.poll(() => question.getByTestId('comment-author').innerText()).toBe('Viktar Impostor');
    expect(await question.getByTestId('comment-unverified').innerText()).toBe('Unverified');

    // The outline: section 1 is agreed, and the committee among its signers is marked.
    const signedBy = olga.getByTestId('section-signed-by');
    await expect.poll(() => signedBy.innerText()).toContain('Maryna Ivanova (Belarusian Helsinki Committee, unverified)');
    expect(await signedBy.innerText()).toContain('Olga Coordinator (Ministry of Foreign Affairs)');
    expect(await signedBy.innerText()).not.toContain('Ministry of Foreign Affairs, unverified');
    await olga.screenshot({ path: screenshotPath('annex-caret-presence-comments'), fullPage: true });
    await olga.locator('.section-pane').screenshot({ path: screenshotPath('annex-caret-presence-close') });

    // --- Section 1: the position is marked; the signature too.
    await olga.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    const position = olga.getByTestId('position').first();
    await expect.poll(() => position.innerText()).toContain(POSITION);
    expect(await position.getByTestId('position-unverified').count()).toBe(1);
    await expect.poll(() => olga.getByTestId('action-card-lead').innerText()).toContain('Ministry of Justice');
    // An action names implementers, not parties to the plan: no verification mark there (it would flag every ministry a drafter names).
    expect(await olga.getByTestId('action-card-lead').locator('.badge--unverified').count()).toBe(0);
    expect(await olga.getByTestId('signoff-unverified').count()).toBe(1);
    await olga.screenshot({ path: screenshotPath('annex-outline-actions-positions'), fullPage: true });

    // --- The exported PDF: the reservations annex, with the unverified committee marked. Its page is rendered for people to look at.
    const { bytes } = await exportPlan(server, coordinator, planId, 'pdf');
    const pdfPath = join(OUTPUT_DIR, 'annex-export.pdf');
    writeFileSync(pdfPath, bytes);
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    const parsed = await parser.getText();
    await parser.destroy();
    const annexPage = [...parsed.pages].reverse().find((p) => p.text.includes('Annex C. Reservations and dissenting positions'));
    expect(annexPage, 'the annex page').toBeDefined();
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(annexPage!.text)).toContain(squash(RESERVATION));
    expect(squash(annexPage!.text)).toContain(squash(POSITION));
    expect(squash(annexPage!.text)).toContain(squash('Belarusian Helsinki Committee (unverified), civil society — signed by Maryna Ivanova'));
    const pdftoppm = findTool('pdftoppm');
    expect(pdftoppm, 'pdftoppm, from the Debian package poppler-utils ("apt-get install -y poppler-utils", or .ci/run)').not.toBeNull();
    const prefix = join(OUTPUT_DIR, 'annex-pdf-render');
    execFileSync(pdftoppm!, ['-png', '-r', '80', '-f', String(annexPage!.num), '-l', String(annexPage!.num), '-singlefile', pdfPath, prefix]);
    renameSync(`${prefix}.png`, screenshotPath('annex-pdf'));
    expect(statSync(screenshotPath('annex-pdf')).size).toBeGreaterThan(2_000);
  }, 180_000);
});
