import { useT } from './api';
import type { Loaded } from './use-load';

/**
 * What a view shows until its answer is ready: "loading…", or why it failed in the manager's
 * language, with a retry where the view can load again.
 */
export function NotLoaded(props: {
  readonly loaded: Exclude<Loaded<unknown>, { state: 'ready' }>;
  readonly reload?: () => void;
}) {
  const t = useT();
  if (props.loaded.state === 'loading') return <p className="help">{t('loading')}</p>;
  return (
    <p className="error" role="alert">
      {props.loaded.message}{' '}
      {props.reload && (
        <button type="button" onClick={props.reload}>
          {t('retry')}
        </button>
      )}
    </p>
  );
}
