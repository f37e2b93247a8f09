import { useTranslation } from 'react-i18next';
import { Button, FormError } from '../../ui/forms.tsx';
import { ChooseSource } from './ChooseSource.tsx';
import { ImportDone } from './ImportDone.tsx';
import { VISIBLE_STEPS, isCurrentStep, type ImportProgress } from './importSteps.ts';
import { PreviewStep } from './PreviewStep.tsx';
import { useImportWizard } from './useImportWizard.ts';

export type { ImportProgress } from './importSteps.ts';

/**
 * Import in three steps: choose a file (or paste a UN report), look at what would change, confirm.
 * Nothing is written before the person confirms.
 */
export function ImportWizard({
  planId,
  progress,
  onImported,
  onClose,
}: {
  planId: string;
  progress: ImportProgress | null;
  onImported: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const wizard = useImportWizard(planId, onImported);
  const { step } = wizard;

  return (
    <section className="panel import-wizard" aria-labelledby="import-heading" data-testid="import-wizard">
      <div className="panel__head">
        <h2 id="import-heading">{t('import.title')}</h2>
        <Button variant="link" onClick={onClose} disabled={step.kind === 'uploading' || step.kind === 'committing'} data-testid="import-close">
          {t('import.close')}
        </Button>
      </div>
      <ol className="steps" aria-label={t('import.stepsLabel')}>
        {VISIBLE_STEPS.map((s, i) => {
          const current = isCurrentStep(s, step);
          return (
            <li key={s} className={current ? 'is-current' : undefined} aria-current={current ? 'step' : undefined}>
              <span className="steps__n">{i + 1}</span> {t(`import.step.${s}`)}
            </li>
          );
        })}
      </ol>
      <FormError message={wizard.error} />

      {(step.kind === 'choose' || step.kind === 'uploading') && (
        <ChooseSource
          wizard={wizard}
          reading={step.kind === 'uploading' && progress?.phase === 'reading' && progress.previewId === step.progressId ? progress : null}
        />
      )}

      {(step.kind === 'preview' || step.kind === 'committing') && (
        <PreviewStep
          preview={step.preview}
          groups={wizard.groups}
          overrides={wizard.overrides}
          setOverrides={wizard.setOverrides}
          sameAsPlan={wizard.sameAsPlan}
          setSameAsPlan={wizard.setSameAsPlan}
          committing={step.kind === 'committing'}
          progress={step.kind === 'committing' && progress?.previewId === step.preview.previewId ? progress : null}
          onConfirm={() => wizard.commit(step.preview)}
          onReformat={wizard.reformat}
          onReencode={wizard.source === 'file' ? wizard.reencode : undefined}
          onBack={wizard.back}
        />
      )}

      {step.kind === 'done' && <ImportDone record={step.record} onClose={onClose} onAnother={wizard.another} />}
    </section>
  );
}
