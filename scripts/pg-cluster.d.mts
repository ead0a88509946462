/** Types of pg-cluster.mjs (a throw-away PostgreSQL + PostGIS cluster for tests and benchmarks). */
export interface Cluster {
  url: string
  version: string
  dir: string
  /** stops the server, keeping its data (an outage) */
  pause(): void
  /** starts it again after pause() */
  resume(): void
  /** stops it and deletes its files */
  stop(): void
}
export function findPostgis(): { version: string; bin: string } | null
export function startCluster(options?: { quiet?: boolean }): Promise<Cluster>
