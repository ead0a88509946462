import type { ReactNode } from 'react'
import type { Community } from '../api'
import { roleIn, useUser } from '../auth/context'
import { useI18n } from '../i18n'
import { LANGUAGES } from '../lib/i18n'
import { LANGUAGE_NAMES } from '../lib/i18n-names'

/** The top bar: app name, community, the sample-data mark (a community with generated data), the search (children) and the language switch. */
export function Header({ community, children }: { community: Community | null; children?: ReactNode }) {
  const { lang, setLang, t } = useI18n()
  const session = useUser()
  const role = roleIn(session?.user, community?.id)
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
      {community?.sample && (
        <span className="sample-badge" data-testid="sample-badge" title={t('header.sampleNote')}>
          {t('header.sampleBadge')}
        </span>
      )}
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
      {session !== null && (
        <div className="header-user" data-testid="header-user" data-role={role ?? ''}>
          <span className="header-user-name" title={t('header.user')}>
            {session.user.displayName ?? session.user.username}
            {role !== null && <span className="header-role">{t(session.user.admin ? 'role.systemAdmin' : `role.${role}`)}</span>}
          </span>
          <button type="button" className="link" onClick={session.changePassword}>
            {t('header.changePassword')}
          </button>
          <button type="button" className="header-logout" data-testid="logout" onClick={session.signOut}>
            {t('header.logout')}
          </button>
        </div>
      )}
    </header>
  )
}
