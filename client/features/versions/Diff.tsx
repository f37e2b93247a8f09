import { useTranslation } from 'react-i18next';
import type { SectionDiffResult } from '../../api/index.ts';

/**
 * An inline difference, block by block: insertions underlined in green, deletions struck through
 * in red, each also labelled in words for screen readers (colour is never the only cue).
 */
export function DiffView({ diff, testId = 'diff' }: { diff: SectionDiffResult; testId?: string }) {
  const { t } = useTranslation();
  const { summary } = diff;
  const unchanged = summary.changedBlocks === 0 && summary.insertedChars === 0 && summary.deletedChars === 0;
  return (
    <div className="diff" data-testid={testId}>
      <p className="diff__summary" data-testid="diff-summary" role="status">
        {unchanged
          ? t('history.noDifferences')
          : t('history.summary', { inserted: summary.insertedChars, deleted: summary.deletedChars, count: summary.changedBlocks })}
      </p>
      <p className="diff__legend muted small" aria-hidden="true">
        <ins className="diff__ins">{t('history.legendInserted')}</ins> <del className="diff__del">{t('history.legendDeleted')}</del>
      </p>
      <div className="diff__blocks">
        {diff.blocks.length === 0 && <p className="muted">{t('history.emptyText')}</p>}
        {diff.blocks.map((parts, i) => {
          const changed = parts.some((p) => p.op !== 'equal');
          return (
            <p key={i} className={`diff__block${changed ? ' diff__block--changed' : ''}`}>
              {parts.map((part, j) => {
                if (part.op === 'insert') {
                  return (
                    <ins key={j} className="diff__ins" data-testid="diff-insert">
                      <span className="visually-hidden">{t('history.srInserted')} </span>
                      {part.text}
                      <span className="visually-hidden"> {t('history.srEnd')}</span>
                    </ins>
                  );
                }
                if (part.op === 'delete') {
                  return (
                    <del key={j} className="diff__del" data-testid="diff-delete">
                      <span className="visually-hidden">{t('history.srDeleted')} </span>
                      {part.text}
                      <span className="visually-hidden"> {t('history.srEnd')}</span>
                    </del>
                  );
                }
                return <span key={j}>{part.text}</span>;
              })}
              {parts.length === 0 && <span className="muted">{t('history.emptyBlock')}</span>}
            </p>
          );
        })}
      </div>
    </div>
  );
}
