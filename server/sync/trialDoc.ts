import * as Y from 'yjs';

/**
 * A second copy of a live section, kept in step with it, on which an update is tried before the
 * live section takes it: the checks compare the parts of the two the update touches.
 *
 * Copying the section for every update cost time in proportion to the whole section (0.6 s per
 * keystroke in a section with 20,000 suggestions). The copy here is made once per loaded section
 * and then follows the live one update by update (what the live section takes, it takes too), so
 * a trial costs in proportion to the update. An update tried and not taken (refused, or written on
 * the copy and then dropped) leaves the copy ahead of the section; it is made again from the
 * section, once, before the next trial. A refusal closes the connection, and a reconnecting client
 * costs a full encoding of the section anyway, so that rebuild adds no new way to load the server.
 */
interface Mirror {
  doc: Y.Doc;
  /** Updates on the copy that the live section may not have taken (yet). */
  ahead: Uint8Array[];
  stale: boolean;
}

const mirrors = new WeakMap<Y.Doc, Mirror>();

function copyOf(live: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: live.gc });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
  return copy;
}

function mirrorOf(live: Y.Doc): Mirror {
  let mirror = mirrors.get(live);
  if (!mirror) {
    const m: Mirror = { doc: copyOf(live), ahead: [], stale: false };
    live.on('update', (update: Uint8Array) => {
      if (!m.stale) Y.applyUpdate(m.doc, update);
    });
    live.on('destroy', () => m.doc.destroy());
    mirrors.set(live, m);
    mirror = m;
  }
  return mirror;
}

/** Makes the copy match the live section again if something tried on it was not taken. */
function settle(live: Y.Doc, mirror: Mirror, next: DecodedUpdate): void {
  if (!mirror.stale) {
    mirror.ahead = mirror.ahead.filter((u) => !heldBy(live, decode(u)));
    // What is still ahead must come again with this update (a repair judged with its update).
    if (mirror.ahead.some((u) => !coveredBy(decode(u), next))) mirror.stale = true;
  }
  if (mirror.stale) {
    mirror.doc.destroy();
    mirror.doc = copyOf(live);
    mirror.ahead = [];
    mirror.stale = false;
  }
}

/**
 * Forgets what was tried on the copy and not taken: the next trial starts from the live section.
 * Called when an update is refused. Trials are matched to what the section later takes by client
 * ids and clocks only, so a refused update's content left on the copy would otherwise be judged in
 * place of a later update that reuses its ids with other content.
 */
export function forgetTrials(live: Y.Doc): void {
  const mirror = mirrors.get(live);
  if (mirror) mirror.stale = true;
}

/**
 * The section as it would be with `update`, or null when the update depends on something not
 * sent yet (it would be held back; see judgeUpdate). Not for a section that holds updates back
 * already: there the copy's state would depend on what completes them.
 */
export function tryUpdate(live: Y.Doc, update: Uint8Array): Y.Doc | null {
  const decoded = decode(update);
  if (dependsOnUnknown(live, decoded)) return null;
  const mirror = mirrorOf(live);
  settle(live, mirror, decoded);
  Y.applyUpdate(mirror.doc, update);
  mirror.ahead.push(update);
  const { pendingStructs, pendingDs } = mirror.doc.store;
  if (pendingStructs !== null || pendingDs !== null) {
    mirror.stale = true;
    return null;
  }
  return mirror.doc;
}

/**
 * Writes `edit` on the copy, right after tryUpdate, and returns it as an update (under the copy's
 * own client id, which no person's connection owns).
 */
export function writeOnTrial(live: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array | null {
  const mirror = mirrorOf(live);
  const updates: Uint8Array[] = [];
  const collect = (u: Uint8Array) => updates.push(u);
  mirror.doc.on('update', collect);
  try {
    mirror.doc.transact(() => edit(mirror.doc));
  } finally {
    mirror.doc.off('update', collect);
  }
  if (updates.length === 0) return null;
  const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
  mirror.ahead.push(update);
  return update;
}

interface DecodedUpdate {
  structs: Array<Y.Item | Y.GC | Y.Skip>;
  ds: ReturnType<typeof Y.decodeUpdate>['ds'];
}

function decode(update: Uint8Array): DecodedUpdate {
  const { structs, ds } = Y.decodeUpdate(update);
  return { structs, ds };
}

/** Whether something the update builds on is neither in the section nor in the update. */
function dependsOnUnknown(live: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  const end = new Map<number, number>();
  const known = (client: number) => end.get(client) ?? Y.getState(live.store, client);
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    if (s.id.clock > known(s.id.client)) return true;
    end.set(s.id.client, Math.max(known(s.id.client), s.id.clock + s.length));
  }
  const missing = (id: Y.ID | null) => id !== null && id.clock >= known(id.client);
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    if (missing(s.origin) || missing(s.rightOrigin)) return true;
    if (s.parent !== null && typeof s.parent === 'object' && 'client' in s.parent && missing(s.parent as unknown as Y.ID)) return true;
  }
  for (const [client, ranges] of ds.clients) for (const { clock, len } of ranges) if (clock + len > known(client)) return true;
  return false;
}

/** Whether the live section holds everything in the update (its structs, and its deletions). */
function heldBy(live: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  for (const s of structs) if (!(s instanceof Y.Skip) && Y.getState(live.store, s.id.client) < s.id.clock + s.length) return false;
  for (const [client, ranges] of ds.clients) {
    const list = live.store.clients.get(client);
    if (!list) return false;
    for (const { clock, len } of ranges) {
      if (clock + len > Y.getState(live.store, client)) return false;
      for (let i = Y.findIndexSS(list, clock); i < list.length && list[i]!.id.clock < clock + len; i++) {
        if (!list[i]!.deleted) return false;
      }
    }
  }
  return true;
}

/** Whether every struct and deletion of `part` is also in `whole`. */
function coveredBy(part: DecodedUpdate, whole: DecodedUpdate): boolean {
  const inRanges = (ranges: Array<[number, number]> | undefined, from: number, to: number) => ranges?.some(([a, b]) => a <= from && to <= b) ?? false;
  const structRanges = new Map<number, Array<[number, number]>>();
  for (const s of whole.structs) {
    if (s instanceof Y.Skip) continue;
    const list = structRanges.get(s.id.client) ?? [];
    const last = list[list.length - 1];
    if (last && last[1] === s.id.clock) last[1] += s.length;
    else list.push([s.id.clock, s.id.clock + s.length]);
    structRanges.set(s.id.client, list);
  }
  for (const s of part.structs) if (!(s instanceof Y.Skip) && !inRanges(structRanges.get(s.id.client), s.id.clock, s.id.clock + s.length)) return false;
  for (const [client, ranges] of part.ds.clients) {
    const outer = (whole.ds.clients.get(client) ?? []).map(({ clock, len }: { clock: number; len: number }) => [clock, clock + len] as [number, number]);
    for (const { clock, len } of ranges) if (!inRanges(outer, clock, clock + len)) return false;
  }
  return true;
}
