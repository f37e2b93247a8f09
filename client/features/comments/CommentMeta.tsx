import { useTranslation } from 'react-i18next';
import type { Comment } from '../../../shared/api/index.ts';
import { SideBadge, UnverifiedMark } from '../../ui/badges.tsx';
import { formatDateTime } from '../../i18n/format.ts';

/** Who wrote a comment (organisation, side, whether it is verified), when, and whether it was edited. */
export function CommentMeta({ comment }: { comment: Comment }) {
  const { t, i18n } = useTranslation();
  const deleted = comment.deletedAt !== null;
  return (
    <p className="comment__meta">
      <strong className="comment__author" data-testid="comment-author">
        {comment.authorName}
      </strong>{' '}
      <span className="comment__org">{comment.organisation}</span> <SideBadge side={comment.side} />{' '}
      {!comment.organisationVerified && (
        <>
          <UnverifiedMark testId="comment-unverified" />{' '}
        </>
      )}
      <time className="muted small" dateTime={comment.createdAt}>
        {formatDateTime(comment.createdAt, i18n.language)}
      </time>
      {comment.editedAt && !deleted && (
        <span className="muted small comment__edited" title={formatDateTime(comment.editedAt, i18n.language)} data-testid="comment-edited">
          {' '}
          {t('comments.edited')}
        </span>
      )}
    </p>
  );
}
