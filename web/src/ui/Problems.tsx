import { useI18n } from '../i18n'
import { errorCodeKey, type ApiError } from '../lib/api-error'

/** Something that went wrong, in words the UI owns: what failed, then why. */
export interface Problem {
  id: number
  what: 'communities' | 'noCommunity' | 'layer' | 'map' | 'summary'
  layer?: 'zones' | 'routes' | 'captains'
  error?: ApiError
}

/** The list of problems, each readable in the current language and dismissable. */
export function Problems({ problems, onDismiss }: { problems: readonly Problem[]; onDismiss: (id: number) => void }) {
  const { lang, t } = useI18n()
  if (problems.length === 0) return null
  // Chinese sentences follow each other without a space
  const gap = lang === 'zh' ? '' : ' '
  return (
    <div className="problems" role="alert">
      {problems.map((p) => {
        const what =
          p.what === 'communities'
            ? t('error.communities')
            : p.what === 'noCommunity'
              ? t('error.noCommunity')
              : p.what === 'layer' && p.layer !== undefined
                ? t('error.layer', { layer: t(`layer.${p.layer}`) })
                : p.what === 'summary'
                  ? t('error.summary')
                  : t('error.map')
        const why =
          p.error === undefined
            ? ''
            : p.error.code === 'network'
              ? t('error.network')
              : t(errorCodeKey(p.error.code), { status: p.error.status })
        return (
          <div className="problem" key={p.id} data-error-code={p.error?.code}>
            <strong>{t('error.title')}</strong>
            <span>
              {what}
              {gap}
              {why}
            </span>
            {p.error !== undefined && p.error.message !== '' && p.error.code !== 'network' && (
              <small>{t('error.details', { message: p.error.message })}</small>
            )}
            <button type="button" onClick={() => onDismiss(p.id)}>
              {t('error.dismiss')}
            </button>
          </div>
        )
      })}
    </div>
  )
}
