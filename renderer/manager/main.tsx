import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './app/Layout';
import { AuditScreen } from './screens/AuditScreen';
import { BatchesScreen } from './screens/BatchesScreen';
import { CodesScreen } from './screens/CodesScreen';
import { ConflictsScreen } from './screens/ConflictsScreen';
import { StoresScreen } from './screens/StoresScreen';
import { BatchEditor } from './batch/BatchEditor';
import './manager.css';

/**
 * The manager console, served by the sync server at /manager/. Filters and pages live in the
 * URL (react-router's search params), so a view can be bookmarked, reloaded and shared.
 */
const router = createBrowserRouter(
  [
    {
      path: '/',
      element: <Layout />,
      children: [
        { index: true, element: <BatchesScreen /> },
        { path: 'batches', element: <BatchesScreen /> },
        { path: 'batches/new', element: <BatchEditor /> },
        { path: 'batches/:id', element: <BatchEditor /> },
        { path: 'codes', element: <CodesScreen /> },
        { path: 'stores', element: <StoresScreen /> },
        { path: 'conflicts', element: <ConflictsScreen /> },
        { path: 'audit', element: <AuditScreen /> },
      ],
    },
  ],
  { basename: '/manager' },
);

const root = document.getElementById('root');
if (!root) throw new Error('manager/index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
