import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ImportRecord, UndoImportResult } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/** The plan's past imports. Refetched on `recommendations` events and after an import or undo here. */
export function useImportsQuery(planId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).imports(), queryFn: () => api.imports(planId) });
}

/**
 * Asking to undo an import, then undoing it; `onUndone` runs once the server agreed. `done` is the
 * server's answer, kept until dismissed: what the undo kept because it is still in use, and why.
 */
export function useUndoImport(planId: string, onUndone: () => void) {
  const { t } = useTranslation();
  const [undoing, setUndoing] = useState<ImportRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<UndoImportResult | null>(null);

  async function undo() {
    if (!undoing) return;
    setBusy(true);
    setError(null);
    try {
      setDone(await api.undoImport(planId, undoing.id));
      setUndoing(null);
      onUndone();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return {
    undoing,
    busy,
    error,
    done,
    dismissDone: () => setDone(null),
    ask: (record: ImportRecord) => {
      setError(null);
      setDone(null);
      setUndoing(record);
    },
    cancel: () => setUndoing(null),
    confirm: () => void undo(),
  };
}
