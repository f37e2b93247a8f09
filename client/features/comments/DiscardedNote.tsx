import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/forms.tsx';

/** Said where an unsent comment or reply was discarded, with the way to have it back. */
export function DiscardedNote({ message, onUndo, testId }: { message: string; onUndo: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <p className="comments__discarded small" role="status" data-testid={testId}>
      {message}{' '}
      <Button variant="link" className="button--small" onClick={onUndo} data-testid={`${testId}-undo`}>
        {t('comments.undoDiscard')}
      </Button>
    </p>
  );
}
