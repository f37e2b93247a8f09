import { useTranslation } from 'react-i18next';
import type { SuggestionSummary } from '../../../shared/doc/suggestions.ts';
import type { FormatChange } from '../../../shared/doc/formatProposal.ts';
import type { StructureChange } from '../../../shared/doc/blockProposal.ts';
import type { Member } from '../../../shared/api/index.ts';
import { describeFormatChange, describeStructureChange } from './formatChange.ts';

/**
 * The one suggestion a confirmation decides, as it reads now: who proposed it and its words. Gone
 * (someone else decided it, its author withdrew it): the dialog says so rather than decide nothing.
 */
export function ConfirmedSuggestion({ suggestion, byUser }: { suggestion: SuggestionSummary | null; byUser: Map<string, Member> }) {
  const { t } = useTranslation();
  if (!suggestion) {
    return (
      <p className="suggestions__confirm-gone" role="status" data-testid="suggestions-confirm-gone">
        {t('suggestions.confirmGone')}
      </p>
    );
  }
  const who = byUser.get(suggestion.author);
  return (
    <blockquote className="suggestions__confirm-what" style={{ borderLeftColor: who?.organisation.color ?? '#505a5f' }} data-testid="suggestions-confirm-what">
      <p className="suggestion-card__who">
        <strong>{who?.name ?? t('suggestions.formerMember')}</strong>
        {who && <span className="muted"> · {who.organisation.name}</span>}
      </p>
      <p className="suggestion-card__what">
        <SuggestionWords s={suggestion} />
      </p>
    </blockquote>
  );
}

/** "Replace “a” with “b”", "Add “b”", "Delete “a”", "Make bold: a", "Make heading 2: a", with the words shown as they are in the text. */
export function SuggestionWords({
  s,
}: {
  s: { kind: string; inserted: string; deleted: string; paragraphs?: number; formatted?: string; format?: FormatChange | null; block?: StructureChange | null };
}) {
  const { t } = useTranslation();
  const clip = (x: string) => (x.length > 160 ? x.slice(0, 159) + '…' : x);
  if (s.kind === 'block' && s.block) {
    return (
      <>
        {describeStructureChange(t, s.block)}: <span className="suggestion-card__formatted">{clip(s.formatted ?? '')}</span>
      </>
    );
  }
  if (s.kind === 'format' && s.format) {
    return (
      <>
        {describeFormatChange(t, s.format)}: <span className="suggestion-card__formatted">{clip(s.formatted ?? '')}</span>
      </>
    );
  }
  if (s.paragraphs && s.kind === 'insert') {
    return (
      <>
        {t('suggestions.addParagraph')} {s.inserted ? <ins>{clip(s.inserted)}</ins> : <span className="muted">{t('suggestions.emptyParagraph')}</span>}
      </>
    );
  }
  if (s.kind === 'replace') {
    return (
      <>
        {t('suggestions.replace')} <del>{clip(s.deleted)}</del> {t('suggestions.with')} <ins>{clip(s.inserted)}</ins>
      </>
    );
  }
  if (s.kind === 'delete') {
    return (
      <>
        {t('suggestions.delete')} <del>{clip(s.deleted)}</del>
      </>
    );
  }
  return (
    <>
      {t('suggestions.add')} <ins>{clip(s.inserted)}</ins>
    </>
  );
}
