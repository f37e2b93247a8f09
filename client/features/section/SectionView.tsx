import { useCallback, useMemo } from 'react';
import { canEditText, type Me, type Role, type Section } from '../../../shared/api/index.ts';
import type { Agreement } from '../../api/index.ts';
import { queryKeys, useInvalidate } from '../../api/queries.ts';
import { ActionsPanel } from '../actions/ActionsPanel.tsx';
import { PositionsPanel } from '../agreement/PositionsPanel.tsx';
import { SectionHistory } from '../versions/SectionHistory.tsx';
import { SectionHeader } from './SectionHeader.tsx';
import { SectionPane } from './SectionPane.tsx';

interface Props {
  planId: string;
  section: Section;
  chapterTitle: string;
  /** The section's text (with positions and actions under it) or its history. */
  view: 'text' | 'history';
  role: Role;
  me: Me;
  agreement: Agreement | null;
  agreementError: string | null;
}

/** An open section: its text with the panels beside and under it, or its history. */
export function SectionView({ planId, section, chapterTitle, view, role, me, agreement, agreementError }: Props) {
  const invalidate = useInvalidate();
  const keys = useMemo(() => queryKeys.plan(planId), [planId]);
  const reloadOutline = useCallback(() => invalidate(keys.outline()), [invalidate, keys]);
  const reloadAgreement = useCallback(() => invalidate(keys.agreement(section.id)), [invalidate, keys, section.id]);
  const agreed = (agreement ? agreement.status : section.status) === 'agreed';

  if (view === 'history') {
    return (
      <article className="section-pane" aria-labelledby="section-title">
        <SectionHeader planId={planId} sectionId={section.id} title={section.title} chapterTitle={chapterTitle} />
        <SectionHistory key={`history-${section.id}`} planId={planId} sectionId={section.id} sectionTitle={section.title} mayWrite={canEditText(role)} agreed={agreed} />
      </article>
    );
  }
  return (
    <>
      <SectionPane
        key={section.id}
        planId={planId}
        section={section}
        chapterTitle={chapterTitle}
        role={role}
        me={me}
        agreement={agreement}
        agreementError={agreementError}
        agreed={agreed}
        onAgreementChanged={async () => {
          await reloadAgreement();
          await reloadOutline();
        }}
        onTextChanged={() => void reloadAgreement()}
        onCommentsChanged={() => void reloadOutline()}
        onPermissionsChanged={async () => {
          await Promise.all([reloadAgreement(), reloadOutline()]);
        }}
        onMovedToBin={() => void reloadOutline()}
      />
      <PositionsPanel key={`positions-${section.id}`} planId={planId} sectionId={section.id} role={role} myOrganisationId={me.organisation.id} />
      <ActionsPanel key={`actions-${section.id}`} planId={planId} sectionId={section.id} sectionTitle={section.title} mayWrite={canEditText(role) && !agreed} />
    </>
  );
}
