import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { windowRole } from './app/launch-config';
import './styles.css';

// The window's role (core/desktop/launch.ts), from the preload or `?role=`, on the page itself:
// for styles, and so a test or an engineer on call can see which window this is.
document.documentElement.dataset['windowRole'] = windowRole();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
