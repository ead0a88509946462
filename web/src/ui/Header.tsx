import type { ReactNode } from 'react'
import type { Community } from '../api'
import { useI18n } from '../i18n'
import { LANGUAGES } from '../lib/i18n'
import { LANGUAGE_NAMES } from '../lib/i18n-names'

/** The top bar: app name, community, the sample-data mark, the search (children) and the language switch. */
export function Header({ community, children }: { community: Community | null; children?: ReactNode }) {
  const { lang, setLang, t } = useI18n()
  const communityName = community === null ? '' : lang === 'zh' ? community.nameZh || community.name : community.name
  return (
    <header className="header">
      <h1 className="header-app" data-testid="app-name">
        {t('app.name')}
      </h1>
      {community !== null && (
        <span className="header-community" data-testid="community-name" title={t('header.community')}>
          {communityName}
        </span>
      )}
      <span className="sample-badge" title={t('header.sampleNote')}>
        {t('header.sampleBadge')}
      </span>
      {children}
      <div className="lang-switch" role="group" aria-label={t('header.language')}>
        {LANGUAGES.map((l) => (
          <button
            key={l}
            type="button"
            lang={l === 'zh' ? 'zh-CN' : 'en'}
            aria-pressed={l === lang}
            data-lang={l}
            onClick={() => setLang(l)}
          >
            {LANGUAGE_NAMES[l]}
          </button>
        ))}
      </div>
    </header>
  )
}
