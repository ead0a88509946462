/** OpenAPI schemas shared by route modules. */
import { z } from '@hono/zod-openapi'
import { ERRORS } from '../errors.js'

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...(keyof typeof ERRORS)[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error')

const errorContent = { 'application/json': { schema: ErrorSchema } }

/** The error answers every endpoint may give. */
export const errorResponses = {
  400: { description: 'invalid parameter', content: errorContent },
  404: { description: 'not found', content: errorContent },
  500: { description: 'internal error', content: errorContent },
} as const

/** A GeoJSON FeatureCollection with a `meta` member (described loosely: features vary by layer). */
export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.number(), geometry: z.unknown(), properties: z.record(z.string(), z.unknown()) })),
    meta: z.record(z.string(), z.unknown()),
  })
  .openapi('FeatureCollection')
