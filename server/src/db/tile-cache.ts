/**
 * Encoded tiles kept in the process (issue 16), keyed by everything a tile depends on — layer,
 * z/x/y, community, the incident filters, the caller's view (exact incidents, phones, dispute
 * records, language) — and valid while the community's tile data version (tile_data_versions,
 * bumped by triggers in the same transaction as every change of the rows tiles show, migration
 * 00009) has not moved. The version is read before the tile is built, so a tile stored under a
 * version holds data at least as new as that version: an edit committed meanwhile has already moved
 * the version on, and the entry is never served again. Requests for a tile being built wait for it
 * instead of building it again (PGlite is one connection: a burst of the same tile is one query).
 */
import { createHash } from 'node:crypto'
import type { IncidentFilter, TileLayerName } from '../contract.js'
import type { View } from '../http/context.js'
import type { Sql } from './connect.js'

/** Default room for cached tiles: a few thousand building tiles of a city. */
export const DEFAULT_TILE_CACHE_BYTES = 64 * 1024 * 1024

export interface CachedTile {
  tile: Uint8Array
  /** strong ETag of the bytes (quoted) */
  etag: string
}

interface Entry extends CachedTile {
  version: string
}

export interface TileKey {
  layer: TileLayerName
  z: number
  x: number
  y: number
  community: string
  filter: IncidentFilter | null
  view: View
}

/** The ETag of a tile's bytes (as before the cache: SHA-1, base64url, quoted). */
export function tileEtag(tile: Uint8Array): string {
  return `"${createHash('sha1').update(tile).digest('base64url')}"`
}

/** The community's tile data version ('0' before any change since migration 00009). */
export async function tileDataVersion(sql: Sql, community: string): Promise<string> {
  const [row] = await sql<{ version: number }[]>`select version from tile_data_versions where community_id = ${community}`
  return String(row?.version ?? 0)
}

/** Bytes an entry holds, roughly: the tile, its key and ETag, and the bookkeeping around them. */
const entrySize = (key: string, e: Entry) => e.tile.length + 2 * key.length + 160

export class TileCache {
  private entries = new Map<string, Entry>()
  private pending = new Map<string, Promise<CachedTile>>()
  private bytes = 0
  hits = 0
  misses = 0

  /** `maxBytes` 0 keeps nothing (every tile is built; concurrent requests for one still share it). */
  constructor(readonly maxBytes = DEFAULT_TILE_CACHE_BYTES) {}

  static key(k: TileKey): string {
    const v = k.view
    return JSON.stringify([k.layer, k.z, k.x, k.y, k.community, k.filter, v.exactIncidents, v.phones, v.disputeRecords, v.lang])
  }

  /** The tile of `key` at `version`: from the cache, from a build under way, or built by `build`. */
  async get(key: string, version: string, build: () => Promise<Uint8Array>): Promise<CachedTile> {
    const hit = this.entries.get(key)
    if (hit && hit.version === version) {
      // most recently used last
      this.entries.delete(key)
      this.entries.set(key, hit)
      this.hits++
      return hit
    }
    const flight = `${version} ${key}`
    const running = this.pending.get(flight)
    if (running) return running
    this.misses++
    const p = build().then((tile) => {
      const entry = { tile, etag: tileEtag(tile), version }
      this.store(key, entry)
      return entry
    })
    this.pending.set(flight, p)
    try {
      return await p
    } finally {
      this.pending.delete(flight)
    }
  }

  private store(key: string, entry: Entry) {
    const old = this.entries.get(key)
    if (old) {
      // a slower build of an older version must not replace a newer one
      if (BigInt(old.version) > BigInt(entry.version)) return
      this.entries.delete(key)
      this.bytes -= entrySize(key, old)
    }
    const size = entrySize(key, entry)
    if (this.maxBytes === 0 || size > this.maxBytes) return
    this.entries.set(key, entry)
    this.bytes += size
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(k)
      this.bytes -= entrySize(k, e)
    }
  }

  get size(): number {
    return this.entries.size
  }
}
