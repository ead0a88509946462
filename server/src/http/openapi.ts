/** OpenAPI pieces shared by route modules: the error answers and the response of a GeoJSON answer. */
import type { z } from 'zod'
import { ErrorBodySchema } from '../contract.js'

const errorContent = { 'application/json': { schema: ErrorBodySchema } }

/** The error answers every endpoint may give. */
export const errorResponses = {
  400: { description: 'invalid parameter', content: errorContent },
  404: { description: 'not found', content: errorContent },
  500: { description: 'internal error', content: errorContent },
  503: { description: 'database unavailable, or an analysis stopped by its time limit', content: errorContent },
} as const

/** The 200 answer of an endpoint that answers `schema` as JSON. */
export const jsonAnswer = (description: string, schema: z.ZodType) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses })

/** The 200 answer of an endpoint that answers a GeoJSON FeatureCollection `schema`. */
export const geoJsonAnswer = (description: string, schema: z.ZodType) => ({ 200: { description, content: { 'application/geo+json': { schema } } }, ...errorResponses })
