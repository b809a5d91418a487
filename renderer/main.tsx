import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const mount = (node: ReactNode): void => createRoot(root).render(<StrictMode>{node}</StrictMode>);

// `?role=customer` is the customer display: it loads only its own module, so that window never
// opens the database or the device client, and never handles a scan.
if (new URLSearchParams(location.search).get('role') === 'customer')
  void import('./customer/CustomerDisplay').then(({ CustomerDisplay }) =>
    mount(<CustomerDisplay />),
  );
else void import('./app/App').then(({ App }) => mount(<App />));
