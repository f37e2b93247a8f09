import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeDeleteSet } from '../../server/sync/pendingDeletes.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { MessageType } from '../../shared/protocol.ts';

/**
 * Seeded fuzzing of the sync protocol: a small PRNG, generators of y-websocket messages built from
 * real Yjs documents, and mutators. Everything is derived from one seed, so a failing run is
 * reproduced with FUZZ_SEED=<seed>.
 */

/** The seed of this run: FUZZ_SEED from the environment, else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`FUZZ_SEED must be an integer 0..2^32-1, got ${fromEnv}`);
    return n;
  }
  return (Math.random() * 0x100000000) >>> 0;
}

/** mulberry32: tiny, fast, good enough to drive a fuzzer. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
  /** A derived generator, so one consumer's draws do not shift another's. */
  fork(): Rng {
    return new Rng(this.int(0x100000000));
  }
  /** A Yjs client id (the range Yjs itself uses). */
  clientId(): number {
    return this.int(0x100000000);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding of protocol messages

export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export function syncStep2Message(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, syncProtocol.messageYjsUpdate);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function awarenessMessage(entries: Array<{ clientId: number; clock: number; json: string }>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, entry.json);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

export const queryAwarenessMessage = (): Uint8Array => new Uint8Array([MessageType.QueryAwareness]);

/** A Yjs v1 update holding no structs and the given delete set, ranges as given (even malformed). */
export function deleteSetUpdate(ranges: Array<{ client: number; clock: number; len: number }>): Uint8Array {
  const byClient = new Map<number, Array<{ clock: number; len: number }>>();
  for (const { client, clock, len } of ranges) byClient.set(client, [...(byClient.get(client) ?? []), { clock, len }]);
  return encodeDeleteSet(byClient);
}

/** True when the message is (by its first two varints) a sync step 1, which the server answers with a step 2. */
export function isSyncStep1(message: Uint8Array): boolean {
  try {
    const d = decoding.createDecoder(message);
    return decoding.readVarUint(d) === MessageType.Sync && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep1;
  } catch {
    return false;
  }
}

/** True for a server message that is a sync step 2 (the answer to a step 1). */
export function isSyncStep2(message: Uint8Array): boolean {
  return message.length >= 2 && message[0] === MessageType.Sync && message[1] === syncProtocol.messageYjsSyncStep2;
}

// ---------------------------------------------------------------------------------------------
// Mutators

/** A varint far beyond any real length (2^49 + …), to replace a length field with. */
const HUGE_VARINT = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];

export type Mutation = 'bitflip' | 'insert' | 'delete' | 'truncate' | 'hugeVarint' | 'hugeOuterLength' | 'duplicate' | 'splice';

export function mutate(rng: Rng, message: Uint8Array, kind: Mutation = rng.pick(MUTATIONS)): Uint8Array {
  const m = Array.from(message);
  const pos = () => rng.int(Math.max(1, m.length));
  switch (kind) {
    case 'bitflip': {
      const flips = rng.range(1, 4);
      for (let i = 0; i < flips && m.length > 0; i++) {
        const p = pos();
        m[p] = m[p]! ^ (1 << rng.int(8));
      }
      break;
    }
    case 'insert':
      for (let i = rng.range(1, 4); i > 0; i--) m.splice(pos(), 0, rng.pick([0, 0x7f, 0x80, 0xff, rng.int(256)]));
      break;
    case 'delete':
      for (let i = rng.range(1, 4); i > 0 && m.length > 1; i--) m.splice(pos(), 1);
      break;
    case 'truncate':
      m.length = rng.int(Math.max(1, m.length));
      break;
    case 'hugeVarint': {
      // Overwrites a varint somewhere past the message header with a huge one.
      const p = Math.min(m.length, 2 + rng.int(Math.max(1, m.length - 2)));
      let end = p;
      while (end < m.length && m[end]! >= 0x80) end++;
      m.splice(p, end - p + 1, ...HUGE_VARINT);
      break;
    }
    case 'hugeOuterLength': {
      // [type, subtype, length, …] or [type=1, length, …]: the outer length field claims far more.
      const at = m[0] === MessageType.Awareness ? 1 : 2;
      let end = at;
      while (end < m.length && m[end]! >= 0x80) end++;
      m.splice(at, end - at + 1, ...HUGE_VARINT);
      break;
    }
    case 'duplicate': {
      // The same bytes twice in one frame; or a slice repeated inside.
      if (rng.chance(0.5)) return concat([message, message]);
      const a = pos();
      const b = Math.min(m.length, a + rng.range(1, 32));
      m.splice(b, 0, ...m.slice(a, b));
      break;
    }
    case 'splice': {
      const extra = rng.bytes(rng.range(1, 16));
      m.splice(pos(), rng.int(8), ...extra);
      break;
    }
  }
  return Uint8Array.from(m);
}

export const MUTATIONS: readonly Mutation[] = ['bitflip', 'insert', 'delete', 'truncate', 'hugeVarint', 'hugeOuterLength', 'duplicate', 'splice'];

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators

/**
 * A fuzzing source: its own Yjs document (own client id) whose edits are turned into messages.
 * Successive updates depend on the earlier ones, so sending a later one first (or a mutated
 * earlier one) yields updates with missing dependencies (pending structs on the server).
 */
export class FuzzSource {
  readonly doc: Y.Doc;
  private readonly updates: Uint8Array[] = [];
  private readonly rng: Rng;

  constructor(rng: Rng) {
    this.rng = rng;
    this.doc = new Y.Doc({ gc: rng.chance(0.5) });
    this.doc.clientID = rng.clientId();
    this.doc.on('update', (u: Uint8Array) => this.updates.push(u));
  }

  /** Makes one random edit of the kind a TipTap section holds (and some it does not), returns its update. */
  edit(): Uint8Array {
    const rng = this.rng;
    const body = getSectionBody(this.doc);
    const before = this.updates.length;
    const op = rng.int(9);
    this.doc.transact(() => {
      if (op <= 2 || body.length === 0) {
        const p = new Y.XmlElement(rng.pick(['paragraph', 'heading', 'bulletList', 'codeBlock', 'weird<tag>', '']));
        if (rng.chance(0.3)) p.setAttribute(rng.pick(['level', 'onclick', 'href', 'style']), rng.pick(['2', 'javascript:alert(1)', '"><x', '']));
        p.insert(0, [new Y.XmlText(randomText(rng, rng.range(0, 40)))]);
        body.insert(rng.int(body.length + 1), [p]);
      } else if (op === 3) {
        const el = body.get(rng.int(body.length));
        const t = el instanceof Y.XmlElement ? el.get(0) : null;
        if (t instanceof Y.XmlText) t.insert(rng.int(t.length + 1), randomText(rng, rng.range(1, 20)), rng.chance(0.3) ? { bold: true } : undefined);
        else body.insert(0, [new Y.XmlText(randomText(rng, 5))]);
      } else if (op === 4) {
        const i = rng.int(body.length);
        body.delete(i, Math.min(body.length - i, rng.range(1, 2)));
      } else if (op === 5) {
        const el = body.get(rng.int(body.length));
        const t = el instanceof Y.XmlElement ? el.get(0) : null;
        if (t instanceof Y.XmlText && t.length > 0) t.format(0, rng.range(1, t.length), { link: { href: 'javascript:alert(1)' } });
        else body.insert(body.length, [new Y.XmlText('x')]);
      } else if (op === 6) {
        // Root types a section does not have.
        this.doc.getMap(rng.pick(['meta', 'body2', '__proto__', 'constructor'])).set(randomText(rng, 6), rng.pick([1, 'x', null, [1, 2], { a: { b: 'c' } }, new Uint8Array([1, 2, 3])]));
      } else if (op === 7) {
        this.doc.getArray('list').insert(0, [rng.int(1000), randomText(rng, 10)]);
      } else {
        this.doc.getText('text').insert(0, randomText(rng, rng.range(1, 30)));
      }
    });
    return this.updates[before] ?? Y.encodeStateAsUpdate(this.doc);
  }

  /** A random one of the updates made so far (often out of order: pending structs). */
  someUpdate(): Uint8Array {
    if (this.updates.length === 0) return this.edit();
    return this.rng.pick(this.updates);
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  /** The whole state, as a sync step 2 answer would carry it. */
  fullState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  awarenessUpdate(): Uint8Array {
    const a = new awarenessProtocol.Awareness(this.doc);
    a.setLocalState({ cursor: { anchor: this.rng.int(100) }, user: { name: 'Spoofed Name' } });
    const update = awarenessProtocol.encodeAwarenessUpdate(a, [this.doc.clientID]);
    a.destroy();
    return update;
  }
}

/** Text with the odd characters people and attackers type. */
export function randomText(rng: Rng, length: number): string {
  const alphabet = ['a', 'b', ' ', 'é', 'Ж', '中', '😀', '\u202e', '\u0000', '\n', '<', '>', '"', "'", '&', '\ud800', '=', '\t'];
  let s = '';
  for (let i = 0; i < length; i++) s += rng.pick(alphabet);
  return s;
}

export type FuzzKind =
  | 'random-bytes'
  | 'valid'
  | 'mutated'
  | 'pending-structs'
  | 'phantom-deletes'
  | 'odd-awareness'
  | 'huge-state-vector'
  | 'concatenated'
  | 'oversized'
  | 'text-frame'
  | 'held-under-other'
  | 'valid-under-other'
  | 'slow-reader'
  | 'presence-flood';

export interface FuzzMessage {
  kind: FuzzKind;
  data: Uint8Array;
}

/** One valid message of a random type, from the source document. */
export function validMessage(rng: Rng, source: FuzzSource): Uint8Array {
  switch (rng.int(6)) {
    case 0:
      return syncStep1Message(rng.chance(0.5) ? source.stateVector() : new Uint8Array([0]));
    case 1:
      return syncStep2Message(source.fullState());
    case 2:
    case 3:
      return updateMessage(source.edit());
    case 4: {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.Awareness);
      encoding.writeVarUint8Array(e, source.awarenessUpdate());
      return encoding.toUint8Array(e);
    }
    default:
      return queryAwarenessMessage();
  }
}

/** Awareness whose JSON is huge, deep, odd or hostile. */
export function oddAwareness(rng: Rng, maxBytes: number): Uint8Array {
  const clientId = rng.pick([rng.clientId(), 0, 2 ** 53 - 1, 1]);
  const clock = rng.pick([0, 1, 2 ** 31, 2 ** 53 - 1]);
  const json = rng.pick<() => string>([
    () => JSON.stringify({ big: 'x'.repeat(rng.range(15_000, 20_000)) }),
    () => JSON.stringify({ big: 'x'.repeat(Math.min(maxBytes - 100, 200_000)) }),
    () => '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
    () => '['.repeat(5000) + ']'.repeat(5000),
    () => JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } }).replace('"x"', '"x"'),
    () => '{"__proto__":{"polluted":true},"user":{"name":"<script>alert(1)</script>"}}',
    () => JSON.stringify({ user: { id: 'someone-else', name: 'Olga Coordinator', role: 'coordinator' }, cursor: null }),
    () => 'null',
    () => '"a string"',
    () => '[1,2,3]',
    () => '12',
    () => 'true',
    () => '{"a":1e999}',
    () => '{"\\ud800":"\\udfff"}',
    () => '{',
    () => '',
    () => '\u0000',
  ])();
  const entries = [{ clientId, clock, json }];
  // Sometimes several entries, or too many.
  const extra = rng.pick([0, 0, 0, 3, 10, 2000]);
  for (let i = 0; i < extra; i++) entries.push({ clientId: rng.clientId(), clock: 1, json: '{}' });
  return awarenessMessage(entries);
}

/**
 * Draws one hostile message. `source` should be a fresh FuzzSource per socket (own client id).
 */
export function hostileMessage(rng: Rng, source: FuzzSource, maxMessageBytes: number): FuzzMessage {
  const r = rng.int(100);
  if (r < 10) {
    // Random bytes, sometimes behind a plausible header.
    const body = rng.bytes(rng.pick([0, 1, 2, 5, 16, 100, 1000]));
    const header = rng.pick([[], [0], [0, 0], [0, 1], [0, 2], [1], [3], [2], [100]]);
    return { kind: 'random-bytes', data: concat([Uint8Array.from(header), body]) };
  }
  if (r < 25) return { kind: 'valid', data: validMessage(rng, source) };
  if (r < 60) return { kind: 'mutated', data: mutate(rng, validMessage(rng, source)) };
  if (r < 70) {
    // An update whose dependencies were never sent: a fresh source's later edit only.
    const other = new FuzzSource(rng.fork());
    other.edit();
    other.edit();
    const later = other.edit();
    return { kind: 'pending-structs', data: rng.chance(0.7) ? updateMessage(later) : mutate(rng, updateMessage(later)) };
  }
  if (r < 78) {
    const ranges = Array.from({ length: rng.range(1, 20) }, () => ({
      client: rng.pick([rng.clientId(), source.doc.clientID, 0, 2 ** 53 - 1]),
      clock: rng.pick([0, rng.int(1000), 2 ** 32, 2 ** 52]),
      len: rng.pick([1, rng.int(1000), 2 ** 32, 2 ** 52]),
    }));
    return { kind: 'phantom-deletes', data: updateMessage(deleteSetUpdate(ranges)) };
  }
  if (r < 88) return { kind: 'odd-awareness', data: oddAwareness(rng, maxMessageBytes) };
  if (r < 93) {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, rng.pick([1, 5000, 100_000]));
    for (let i = 0; i < 3; i++) {
      encoding.writeVarUint(e, rng.clientId());
      encoding.writeVarUint(e, rng.pick([0, 2 ** 53 - 1, rng.int(100)]));
    }
    return { kind: 'huge-state-vector', data: syncStep1Message(encoding.toUint8Array(e)) };
  }
  const parts = Array.from({ length: rng.range(2, 4) }, () => validMessage(rng, source));
  return { kind: 'concatenated', data: concat(parts) };
}

/**
 * Updates written under a colleague's Yjs client id, as a member who read it from their presence
 * could send: the continuation of their text (the server must not apply it in their name) and a
 * later edit only, whose earlier ones were never sent (a clock gap the server holds back). Neither
 * may claim the id: the colleague's own next edits must still be taken.
 */
export function updatesUnder(victim: Y.Doc, text: string): { valid: Uint8Array; held: Uint8Array } {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(victim));
  // Local edits of this copy are now written under the colleague's id, at their next clocks.
  copy.clientID = victim.clientID;
  const updates: Uint8Array[] = [];
  copy.on('update', (u: Uint8Array) => updates.push(u));
  const body = getSectionBody(copy);
  for (let i = 0; i < 3; i++) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(`${text} ${i}`)]);
    body.insert(body.length, [p]);
  }
  copy.destroy();
  return { valid: updates[0]!, held: updates[updates.length - 1]! };
}

/** Presence updates of one client id with rising clocks, as fast as a socket can send them. */
export function presenceFlood(rng: Rng, count: number): Uint8Array[] {
  const clientId = rng.clientId();
  const json = JSON.stringify({ cursor: { anchor: rng.int(100) }, pad: 'x'.repeat(rng.pick([10, 1000, 8000])) });
  return Array.from({ length: count }, (_, i) => awarenessMessage([{ clientId, clock: i + 1, json }]));
}

/** A message just over (or far over) the size limit, starting like an update. */
export function oversizedMessage(rng: Rng, maxMessageBytes: number): Uint8Array {
  const size = rng.chance(0.8) ? maxMessageBytes + rng.range(1, 64) : maxMessageBytes * 2 + 2048;
  const out = rng.bytes(size);
  out[0] = MessageType.Sync;
  out[1] = syncProtocol.messageYjsUpdate;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hostile strings for REST fields and the browser

/** What people (or attackers) type into fields that end up in HTML, CSV and headers. */
export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '=HYPERLINK("http://evil","x")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1)',
  '\t=1+1',
  '\r=1+1',
  'report\u202Efdp.exe',
  'nul\u0000byte',
] as const;

/** A cell a spreadsheet would run as a formula. */
export const FORMULA_LIKE = /^[=+\-@\t\r]/;
