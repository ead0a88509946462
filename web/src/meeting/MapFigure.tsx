/** The map picture of the pack with its legend and scale bar (print and projector). */
import { useI18n } from '../i18n'
import { ANALYSIS } from '../lib/palette'
import type { MapPicture } from './capture'
import { formatLength, scaleBar } from './model'
import { HOT_STATUS_COLORS } from './useMeetingLayer'

export function MapFigure({ picture }: { picture: MapPicture }) {
  const { t } = useI18n()
  const bar = scaleBar(picture.metresPerPixel, picture.width)
  return (
    <figure className="meeting-map-figure" data-testid="meeting-map-figure">
      <div className="meeting-map-frame">
        <img src={picture.src} alt={t('meeting.map.alt')} style={{ aspectRatio: `${picture.width} / ${picture.height}` }} />
        <div className="meeting-scale" style={{ width: `${(bar.fraction * 100).toFixed(2)}%` }} data-testid="meeting-scale">
          <span>{formatLength(bar.metres)}</span>
        </div>
        <span className="meeting-north" aria-label={t('meeting.map.north')}>
          N ↑
        </span>
      </div>
      <figcaption className="meeting-legend">
        {(['new', 'persistent', 'gone'] as const).map((s) => (
          <span key={s} className="meeting-legend-item">
            <span className="meeting-swatch" style={{ background: HOT_STATUS_COLORS[s] }} aria-hidden="true" />
            {t(`meeting.hot.${s}`)}
          </span>
        ))}
        <span className="meeting-legend-item">
          <span className="meeting-swatch meeting-swatch-gap" style={{ borderColor: ANALYSIS.coverage.gap }} aria-hidden="true" />
          {t('meeting.map.gap')}
        </span>
        <span className="meeting-legend-item">
          <span className="meeting-swatch meeting-swatch-zone" aria-hidden="true" />
          {t('meeting.map.zone')}
        </span>
      </figcaption>
    </figure>
  )
}
