import '@mantine/core/styles.css';
import './app/theme.css';
import { createTheme, MantineProvider, Modal } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './app/router';
import { ProblemError } from './lib/api';

// Shade 8 keeps white on the primary color (buttons) and the primary color on white (links) above 4.5:1.
// Every dialog's close button gets a name screen readers can say.
const theme = createTheme({
  primaryShade: 8,
  components: { Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }) },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will answer the same again: retry only what may be transient.
      retry: (count, error) => count < 2 && !(error instanceof ProblemError && error.problem.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
