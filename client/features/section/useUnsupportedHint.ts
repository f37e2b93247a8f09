import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** How long the hint stays up. */
const HINT_MS = 8000;

/**
 * What suggesting cannot do (change structure or formatting), said for a while after someone
 * tries it.
 */
export function useUnsupportedHint() {
  const { t } = useTranslation();
  const [hint, setHint] = useState<string | null>(null);
  useEffect(() => {
    if (!hint) return;
    const timer = setTimeout(() => setHint(null), HINT_MS);
    return () => clearTimeout(timer);
  }, [hint]);
  const onUnsupported = useCallback(
    (what: 'structure' | 'formatting') => setHint(t(what === 'structure' ? 'suggestions.hintStructureBlocks' : 'suggestions.hintFormatting')),
    [t],
  );
  return { hint, onUnsupported };
}
