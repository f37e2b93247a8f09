import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { startLanguage } from './i18n/index.ts';
import './styles/index.css';
import { App } from './App.tsx';
import { createQueryClient } from './api/queryClient.ts';

const root = document.getElementById('root');
if (!root) throw new Error('No #root element');

const queryClient = createQueryClient();

// The first paint waits for the chosen language's catalogue (a small chunk, briefly), so the page
// never appears in English and then switches.
void startLanguage().finally(() => {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
});

// The service worker keeps the app shell, the last API answers and hashed assets available when
// the server is unreachable; together with y-indexeddb a reload offline still opens a section.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
      console.warn('Service worker registration failed', err);
    });
  });
}
