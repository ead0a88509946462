/**
 * The login page, and the page for choosing a new password (required after a generated or reset
 * one). Both keep the page's URL as it is, so after logging in the map opens as the link says.
 */
import { useState, type FormEvent, type ReactNode } from 'react'
import { PASSWORD_LIMITS } from '../../../server/src/contract'
import { useI18n } from '../i18n'
import { ApiError, errorCodeKey } from '../lib/api-error'
import { LANGUAGES } from '../lib/i18n'
import { LANGUAGE_NAMES } from '../lib/i18n-names'
import { changePassword, login } from './session'
import './auth.css'

/** The frame both pages share: the app's name, the language switch, the form. */
function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { lang, setLang, t } = useI18n()
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-head">
          <h1>{t('app.name')}</h1>
          <div className="lang-switch" role="group" aria-label={t('header.language')}>
            {LANGUAGES.map((l) => (
              <button key={l} type="button" lang={l === 'zh' ? 'zh-CN' : 'en'} aria-pressed={l === lang} onClick={() => setLang(l)}>
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
          </div>
        </div>
        <h2>{title}</h2>
        {children}
      </div>
    </main>
  )
}

/** What went wrong, in words. */
function useErrorText() {
  const { t } = useI18n()
  return (e: unknown) => {
    if (!(e instanceof ApiError)) return t('error.network')
    if (e.code === 'network') return t('error.network')
    if (e.status === 401) return t('auth.login.wrong')
    if (e.status === 429) {
      const seconds = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60
      return t('auth.login.tooMany', { minutes: Math.max(1, Math.ceil(seconds / 60)) })
    }
    return t(errorCodeKey(e.code), { status: e.status })
  }
}

export function LoginPage({ ended, onLoggedIn }: { ended: boolean; onLoggedIn: () => void }) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    login(username.trim(), password).then(onLoggedIn, (err: unknown) => {
      setError(errorText(err))
      setBusy(false)
    })
  }
  return (
    <AuthFrame title={t('auth.login.title')}>
      {ended && (
        <p className="auth-note" role="status" data-testid="session-ended">
          {t('auth.login.ended')}
        </p>
      )}
      <form className="auth-form" onSubmit={submit} data-testid="login-form">
        <label>
          <span>{t('auth.username')}</span>
          <input name="username" autoComplete="username" required maxLength={64} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          <span>{t('auth.password')}</span>
          <input name="password" type="password" autoComplete="current-password" required maxLength={PASSWORD_LIMITS.max} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error !== null && (
          <p className="auth-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="auth-submit" disabled={busy || username.trim() === '' || password === ''}>
          {t('auth.login.submit')}
        </button>
      </form>
    </AuthFrame>
  )
}

/** Choosing a new password: required when someone else chose the current one. */
export function PasswordPage({ required, onDone, onCancel }: { required: boolean; onDone: () => void; onCancel?: () => void }) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const mismatch = again !== '' && again !== next
  const short = next !== '' && next.length < PASSWORD_LIMITS.min
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    changePassword(current, next).then(onDone, (err: unknown) => {
      setError(err instanceof ApiError && err.status === 400 ? t('auth.password.wrongCurrent') : errorText(err))
      setBusy(false)
    })
  }
  return (
    <AuthFrame title={t('auth.password.title')}>
      {required && <p className="auth-note">{t('auth.password.required')}</p>}
      <form className="auth-form" onSubmit={submit} data-testid="password-form">
        <label>
          <span>{t('auth.password.current')}</span>
          <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} autoFocus />
        </label>
        <label>
          <span>{t('auth.password.new')}</span>
          <input type="password" autoComplete="new-password" required minLength={PASSWORD_LIMITS.min} maxLength={PASSWORD_LIMITS.max} value={next} onChange={(e) => setNext(e.currentTarget.value)} aria-invalid={short} />
        </label>
        {short && <p className="auth-hint">{t('auth.password.short', { n: PASSWORD_LIMITS.min })}</p>}
        <label>
          <span>{t('auth.password.again')}</span>
          <input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.currentTarget.value)} aria-invalid={mismatch} />
        </label>
        {mismatch && <p className="auth-hint">{t('auth.password.mismatch')}</p>}
        {error !== null && (
          <p className="auth-error" role="alert">
            {error}
          </p>
        )}
        <div className="auth-actions">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              {t('auth.password.cancel')}
            </button>
          )}
          <button type="submit" className="auth-submit" disabled={busy || current === '' || next.length < PASSWORD_LIMITS.min || next !== again}>
            {t('auth.password.submit')}
          </button>
        </div>
      </form>
    </AuthFrame>
  )
}
