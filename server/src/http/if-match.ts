/** The If-Match header of versioned writes (planning, disputes, problems, care files). */
import { ApiError } from '../errors.js'

/** The version an If-Match header names ("3", W/"3" or 3); 428 without one, 400 for anything else. */
export function ifMatchVersion(header: string | undefined): number {
  if (header === undefined || header.trim() === '')
    throw new ApiError('precondition_required', 'say which version you changed: If-Match with the ETag of the row you read')
  const m = /^(?:W\/)?(?:"(\d{1,9})"|(\d{1,9}))$/.exec(header.trim())
  if (!m) throw new ApiError('invalid_parameter', 'If-Match must be the ETag of the row (its version, e.g. "3")', { parameter: 'If-Match' })
  return Number(m[1] ?? m[2])
}
