import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shortHash } from './hash.ts';

/** A short hash with the full value on hover, and a button that copies the full value. */
export function HashView({ hash, testId }: { hash: string; testId?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash">
      <code title={hash} data-testid={testId} data-hash={hash}>
        {shortHash(hash)}
      </code>
      <button
        type="button"
        className="button button--link button--small"
        onClick={() => {
          void navigator.clipboard?.writeText(hash).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
        aria-label={t('agreement.copyHashLabel', { hash })}
      >
        {copied ? t('agreement.copied') : t('agreement.copy')}
      </button>
    </span>
  );
}
