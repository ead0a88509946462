/** An API error in words, in the UI language: what it means, and the server's own message beneath. */
import { useI18n } from '../i18n'
import { errorCodeKey, type ApiError } from '../lib/api-error'

export function ApiErrorLine({ error }: { error: ApiError }) {
  const { t } = useI18n()
  return (
    <p className="analysis-error" role="alert" data-error-code={error.code}>
      {error.code === 'network' ? t('error.network') : t(errorCodeKey(error.code), { status: error.status })}
      {error.message && <small className="plan-error-detail">{error.message}</small>}
    </p>
  )
}
