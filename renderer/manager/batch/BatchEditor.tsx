import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { v7 as uuidv7 } from 'uuid';
import { localInstant } from '../../../core/messages/format';
import { Batch } from '../../../core/vouchers';
import { api, useFailureText, useT } from '../app/api';
import { useConsoleSession, useIsChainManager } from '../app/session';
import { useStores } from '../app/stores';
import { useLoad } from '../app/use-load';
import { ClaimPagePanel } from '../claims/ClaimPagePanel';
import { BatchForm } from './BatchForm';
import { CodesPanel } from './CodesPanel';
import { newDraft, type Draft } from './draft';
import { fieldErrors } from './issues';
import { Preview } from './Preview';

/**
 * Create or edit a batch: the form, checked by the core's Batch schema on every change, beside
 * the live preview. A save names the version it was made on; when someone saved in between,
 * the server refuses it and this says who and when, with a reload.
 */
export function BatchEditor() {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const chain = useIsChainManager();
  const failureText = useFailureText();
  const navigate = useNavigate();
  const { id } = useParams();
  const isNew = id === undefined;
  const [stores] = useStores();
  const [active] = useLoad('active', () =>
    api.call('batches', { query: { state: 'active', limit: 200 } }),
  );
  const [loaded, reload] = useLoad(`batch:${id ?? ''}`, () =>
    isNew
      ? Promise.resolve({ ok: true as const, value: null })
      : api.call('batch', { params: { id: id as Batch['id'] } }),
  );
  const [draft, setDraft] = useState<Draft | null>(isNew ? newDraft(Date.now()) : null);
  const [version, setVersion] = useState<number | null>(null);
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error' | 'conflict'; text: string } | null>(
    null,
  );
  // One request id per intended save: a retry after a lost answer reuses it.
  const [requestId, setRequestId] = useState(() => uuidv7());

  useEffect(() => {
    if (loaded.state === 'ready' && loaded.value) {
      setDraft(loaded.value.batch);
      setVersion(loaded.value.version);
    }
  }, [loaded]);

  const parsed = useMemo(() => (draft ? Batch.safeParse(draft) : null), [draft]);
  const errors = useMemo(
    () =>
      parsed && !parsed.success && touched
        ? fieldErrors(parsed.error, locale)
        : new Map<string, string>(),
    [parsed, touched, locale],
  );

  async function save() {
    setTouched(true);
    if (!parsed?.success) return setNotice({ kind: 'error', text: t('fixErrors') });
    setSaving(true);
    setNotice(null);
    const r = isNew
      ? await api.call('createBatch', { body: parsed.data })
      : await api.call('updateBatch', {
          params: { id: parsed.data.id },
          body: { batch: parsed.data, version: version ?? 1, requestId },
        });
    setSaving(false);
    if (!r.ok) {
      if (r.code === 'VERSION_CONFLICT') {
        const now = await api.call('batch', { params: { id: parsed.data.id } });
        if (now.ok)
          return setNotice({
            kind: 'conflict',
            text: t('versionConflict', {
              by: now.value.updatedBy ?? '?',
              at: now.value.updatedAt ? localInstant(now.value.updatedAt) : '?',
              v: now.value.version,
            }),
          });
      }
      return setNotice({ kind: 'error', text: failureText(r) });
    }
    setRequestId(uuidv7());
    if (isNew) return navigate(`/batches/${parsed.data.id}`, { replace: true });
    if ('version' in r.value) setVersion(r.value.version);
    setNotice({ kind: 'ok', text: t('saved', { v: 'version' in r.value ? r.value.version : 1 }) });
  }

  if (loaded.state === 'failed')
    return (
      <p className="error" role="alert">
        {loaded.message}
      </p>
    );
  if (!draft) return <p>{t('loading')}</p>;
  const storesPage = stores.state === 'ready' ? stores.value : null;
  return (
    <section className="editor">
      <div className="title-row">
        <h1>
          {isNew ? t('createTitle') : t('editTitle')}
          {!isNew && (
            <span className="sub">
              {' '}
              {draft.id} · v{version}
            </span>
          )}
        </h1>
        <Link to="/batches">{t('navBatches')}</Link>
      </div>
      {!chain && <p className="help">{t('readOnly')}</p>}
      {notice && (
        <div className={`notice ${notice.kind}`} role="alert">
          {notice.text}
          {notice.kind === 'conflict' && (
            <button
              type="button"
              onClick={() => {
                setNotice(null);
                reload();
              }}
            >
              {t('reload')}
            </button>
          )}
        </div>
      )}
      <div className="editor-grid">
        <div>
          <BatchForm
            key={`${id ?? 'new'}:${version ?? 0}`}
            draft={draft}
            onChange={setDraft}
            errors={errors}
            isNew={isNew}
            readOnly={!chain}
            stores={storesPage}
            locale={locale}
          />
          {chain && (
            <div className="buttons sticky">
              <button
                type="button"
                className="primary"
                disabled={saving}
                onClick={() => void save()}
              >
                {saving ? t('saving') : t('save')}
              </button>
            </div>
          )}
          {chain && !isNew && draft.state === 'active' && (
            <CodesPanel batchId={draft.id as Batch['id']} />
          )}
          {chain && !isNew && draft.state === 'active' && (
            <ClaimPagePanel batchId={draft.id as Batch['id']} batchName={draft.name} />
          )}
        </div>
        <Preview
          batch={parsed?.success ? parsed.data : null}
          stores={storesPage}
          active={active.state === 'ready' ? active.value.batches : []}
          locale={locale}
        />
      </div>
    </section>
  );
}
