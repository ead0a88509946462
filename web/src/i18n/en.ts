/**
 * English messages. This dictionary defines the message keys: every other language must have the
 * same keys (checked by the type of `zh`). `{name}` marks a parameter filled by `t(key, params)`.
 */
export const en = {
  'app.name': 'safegrid',
  'app.title': 'safegrid · grid safety map',
  'app.loading': 'Loading the map…',
  'header.community': 'Community',
  'header.language': 'Language',
  'header.sampleBadge': 'sample data',
  'header.sampleNote':
    'Grid zones, patrol routes and building captains are sample assignments generated from public data.',
  'layers.title': 'Layers',
  'layers.sample': 'sample',
  'layers.show': 'Show {layer}',
  'layer.streets': 'Streets',
  'layer.buildings': 'Buildings',
  'layer.zones': 'Grid zones',
  'layer.routes': 'Patrol routes',
  'layer.captains': 'Building captains',
  'layer.incidents': 'Incidents',
  'legend.streets.major': 'Main road',
  'legend.streets.minor': 'Street',
  'legend.streets.path': 'Footway, service road',
  'legend.buildings.captained': 'With a building captain',
  'legend.buildings.uncaptained': 'No building captain',
  'legend.zones.unassigned': 'No patrol team',
  'legend.captains.active': 'Active captain',
  'legend.captains.inactive': 'Inactive captain',
  'legend.incidents.other': 'Other',
  'category.DRUG/NARCOTIC': 'Drugs',
  'category.VANDALISM': 'Vandalism',
  'category.ROBBERY': 'Robbery',
  'category.VEHICLE THEFT': 'Vehicle theft',
  'map.attribution':
    'Buildings: DataSF (PDDL) · Streets: © OpenStreetMap contributors (ODbL) · Incidents: SFPD/DataSF',
  'map.zoneUnpatrolled': 'no patrol',
  'error.title': 'Something went wrong',
  'error.dismiss': 'Dismiss',
  'error.communities': 'The list of communities could not be loaded.',
  'error.layer': 'The layer “{layer}” could not be loaded.',
  'error.noCommunity': 'No community is set up yet.',
  'error.map': 'The map could not load part of its data.',
  'error.network': 'The server could not be reached. Is it running?',
  'error.code.bad_request': 'The request was not valid.',
  'error.code.invalid_parameter': 'A request parameter was not valid.',
  'error.code.invalid_bbox': 'The map area asked for was not valid.',
  'error.code.invalid_tile': 'A map tile address was not valid.',
  'error.code.unauthorized': 'Please sign in.',
  'error.code.forbidden': 'You may not see this.',
  'error.code.not_found': 'Not found.',
  'error.code.unknown_layer': 'The server does not know this layer.',
  'error.code.community_not_found': 'The community does not exist.',
  'error.code.internal': 'The server had an internal error.',
  'error.code.database_unavailable': 'The database is not available right now.',
  'error.code.unknown': 'The server answered with an error (HTTP {status}).',
  'error.details': 'Details: {message}',
} as const

/** A key of the message dictionaries; `t()` accepts only these. */
export type MessageKey = keyof typeof en
/** One language's messages: every key, as plain strings. */
export type Messages = Record<MessageKey, string>
