import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { windowRole } from './app/launch-config';
import './styles.css';

// The window's role (core/desktop/launch.ts), from the preload or `?role=`, on the page itself:
// for styles, and so a test or an engineer on call can see which window this is.
document.documentElement.dataset['windowRole'] = windowRole();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const mount = (node: ReactNode): void => createRoot(root).render(<StrictMode>{node}</StrictMode>);

// The customer display (`?role=customer`, or the preload's role) loads only its own module, so
// that window never opens the database or the device client, and never handles a scan.
if (windowRole() === 'customer')
  void import('./customer/CustomerDisplay').then(({ CustomerDisplay }) =>
    mount(<CustomerDisplay />),
  );
else void import('./app/App').then(({ App }) => mount(<App />));
