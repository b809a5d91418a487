import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { useT } from './app/api';
import { Layout } from './app/Layout';
import { AlertsScreen } from './alerts/AlertsScreen';
import { PosterScreen } from './claims/PosterScreen';
import { AuditScreen } from './screens/AuditScreen';
import { BatchesScreen } from './screens/BatchesScreen';
import { CodesScreen } from './screens/CodesScreen';
import { ConflictsScreen } from './screens/ConflictsScreen';
import { DashboardScreen } from './screens/DashboardScreen';
import { StoresScreen } from './screens/StoresScreen';
import { ProductsScreen } from './screens/ProductsScreen';
import { MembersScreen } from './screens/MembersScreen';
import { StaffScreen } from './screens/StaffScreen';
import { AllowanceScreen } from './screens/AllowanceScreen';
import { BatchEditor } from './batch/BatchEditor';
import './manager.css';

/**
 * The report screens and the chart library they draw with load only when a report is opened:
 * the console's own bundle stays small (DESIGN.md budget: under 300 KB gzipped).
 */
const ReportsScreen = lazy(() =>
  import('./reports/ReportsScreen').then((m) => ({ default: m.ReportsScreen })),
);
function ReportsLoading() {
  return <p>{useT()('loading')}</p>;
}
const reports = (
  <Suspense fallback={<ReportsLoading />}>
    <ReportsScreen />
  </Suspense>
);

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
        { index: true, element: <DashboardScreen /> },
        { path: 'dashboard', element: <DashboardScreen /> },
        { path: 'alerts', element: <AlertsScreen /> },
        { path: 'batches', element: <BatchesScreen /> },
        { path: 'batches/new', element: <BatchEditor /> },
        { path: 'batches/:id', element: <BatchEditor /> },
        { path: 'batches/:id/poster', element: <PosterScreen /> },
        { path: 'codes', element: <CodesScreen /> },
        { path: 'stores', element: <StoresScreen /> },
        { path: 'products', element: <ProductsScreen /> },
        { path: 'members', element: <MembersScreen /> },
        { path: 'staff', element: <StaffScreen /> },
        { path: 'allowance', element: <AllowanceScreen /> },
        { path: 'conflicts', element: <ConflictsScreen /> },
        { path: 'audit', element: <AuditScreen /> },
        { path: 'reports', element: reports },
        { path: 'reports/:view', element: reports },
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
