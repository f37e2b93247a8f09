import { useEffect } from 'react';
import i18n from '../i18n/index.ts';

/** Sets the tab title: "<page> – Accord", so screen-reader users hear where they are. */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    const app = i18n.t('app.name');
    document.title = title ? `${title} – ${app}` : app;
  }, [title]);
}
