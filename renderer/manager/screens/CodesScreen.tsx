import { CodeImport } from '../codes/CodeImport';
import { CodeLookup } from '../codes/CodeLookup';
import { useT } from '../app/api';
import { useConsoleSession } from '../app/session';

/** The Codes screen: look one code up (any manager); import a CSV of codes (chain managers). */
export function CodesScreen() {
  const t = useT();
  const chain = useConsoleSession((s) => s.session?.user.role === 'chain_manager');
  return (
    <section>
      <h1>{t('codesScreenTitle')}</h1>
      <CodeLookup />
      {chain && <CodeImport />}
    </section>
  );
}
