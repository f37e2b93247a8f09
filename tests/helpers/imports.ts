import type { ApiClient } from './api.ts';

/**
 * Uploads a file to the import preview route as raw bytes, as the browser's file picker does
 * (ApiClient only sends JSON). Answers like ApiClient.request.
 */
export async function uploadImport(
  client: ApiClient,
  planId: string,
  filename: string,
  bytes: Uint8Array | string,
  options: { format?: string; encoding?: string; documentSymbol?: string; progressId?: string; contentType?: string } = {},
): Promise<{ status: number; body: any }> {
  const params = new URLSearchParams({ filename });
  for (const key of ['format', 'encoding', 'documentSymbol', 'progressId'] as const) {
    const value = options[key];
    if (value !== undefined) params.set(key, value);
  }
  const res = await fetch(`${client.baseUrl}/api/plans/${planId}/imports/preview?${params}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/octet-stream',
      origin: client.baseUrl,
      ...(client.cookie ? { cookie: client.cookie } : {}),
    },
    // A copy in a plain ArrayBuffer: what fetch's BodyInit type accepts.
    body: new Uint8Array(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes).buffer,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body };
}

/** Uploads and commits in one go (`commit`: the commit's choices); returns the preview and the import record. */
export async function importFile(client: ApiClient, planId: string, filename: string, bytes: Uint8Array | string, commit: Record<string, unknown> = {}) {
  const preview = await uploadImport(client, planId, filename, bytes);
  if (preview.status !== 200) throw new Error(`preview failed: ${preview.status} ${JSON.stringify(preview.body)}`);
  const committed = await client.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, commit);
  if (committed.status !== 201) throw new Error(`commit failed: ${committed.status} ${JSON.stringify(committed.body)}`);
  return { preview: preview.body, record: committed.body };
}

/** Uploads an implementation matrix (XLSX or ZIP of CSV) to the matrix re-import's preview route. */
export async function uploadMatrix(client: ApiClient, planId: string, filename: string, bytes: Uint8Array): Promise<{ status: number; body: any }> {
  const res = await fetch(`${client.baseUrl}/api/plans/${planId}/matrix-imports/preview?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', origin: client.baseUrl, ...(client.cookie ? { cookie: client.cookie } : {}) },
    body: new Uint8Array(bytes).buffer,
  });
  return { status: res.status, body: await res.json() };
}

/** A matrix ZIP with an Actions table and no rows: a preview that changes nothing, and an import with nothing to undo. */
export async function emptyMatrixZip(): Promise<Uint8Array> {
  const JSZip = (await import('jszip')).default;
  const zip = new JSZip();
  zip.file('actions.csv', '\uFEFFAction ID,Section,Action\r\n');
  return zip.generateAsync({ type: 'uint8array' });
}
