import type { ReactNode } from 'react';
import { MENTION_PATTERN } from '../../../shared/api/index.ts';

/** A comment body with `@[Name](userId)` mentions shown as highlighted names. */
export function CommentText({ body }: { body: string }) {
  const parts: ReactNode[] = [];
  const re = new RegExp(MENTION_PATTERN.source, 'g');
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m.index > last) parts.push(body.slice(last, m.index));
    parts.push(
      <span key={m.index} className="mention" data-user-id={m[2]} data-testid="mention">
        @{m[1]}
      </span>,
    );
    last = m.index + m[0].length;
  }
  if (last < body.length) parts.push(body.slice(last));
  return <p className="comment__body">{parts}</p>;
}
