/**
 * Embedded mode: PGlite (PostgreSQL in WebAssembly) with PostGIS, in this process, reached by
 * postgres.js through an in-process link rather than a network socket — nothing listens, so no
 * other user or process on the machine can connect to the database.
 *
 * The link is a Duplex stream that speaks the PostgreSQL wire protocol: it cuts what postgres.js
 * writes into protocol messages, hands each to PGlite (`execProtocolRawStream`, one at a time) and
 * pushes PGlite's answer back. PGlite is a single session, so exactly one link may be open: a
 * second one is refused (and reported), because two clients would receive each other's answers.
 *
 * The link also restores what PostgreSQL promises for errors in the extended protocol: the server
 * answers the failed message with ErrorResponse, discards what follows until Sync and only then
 * sends ReadyForQuery. PGlite sends ReadyForQuery at once and then another for the Sync
 * (electric-sql/pglite#958) — postgres.js, pipelining, would take that second one as the end of
 * the NEXT query and hand every later query the answer of the one before it.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { Duplex } from 'node:stream'
import type { PGlite } from '@electric-sql/pglite'
import { postgisCore } from './postgis-bundle.js'

const SSL_REQUEST = 80877103
const CANCEL_REQUEST = 80877102
const PROTOCOL_3 = 196608

/** Extended-protocol messages after which an error makes the server skip to the next Sync. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)))
const SYNC = 'S'.charCodeAt(0)
const ERROR_RESPONSE = 'E'.charCodeAt(0)
const READY_FOR_QUERY = 'Z'.charCodeAt(0)

/**
 * The answer to an extended-protocol message that failed, as PostgreSQL would send it: everything
 * up to and including the ErrorResponse, without the ReadyForQuery PGlite adds (the Sync's comes
 * later). Null when the answer holds no error.
 */
export function withoutPrematureReady(answer: Buffer): Buffer | null {
  const kept: Buffer[] = []
  let failed = false
  for (let at = 0; at + 5 <= answer.length; ) {
    const end = at + 1 + answer.readInt32BE(at + 1)
    const type = answer[at]
    if (type === ERROR_RESPONSE) failed = true
    if (!(failed && type === READY_FOR_QUERY)) kept.push(answer.subarray(at, end))
    at = end
  }
  return failed ? Buffer.concat(kept) : null
}

/** Thrown when a second connection to the embedded database is attempted. */
export class SecondConnectionError extends Error {
  override name = 'SecondConnectionError'
}

/** One wire-protocol session with PGlite, as a socket for postgres.js. */
class PGliteLink extends Duplex {
  readonly readyState = 'open'
  private buffered: Buffer = Buffer.alloc(0)
  private started = false
  /** an extended-protocol message failed: discard messages until Sync */
  private skipToSync = false

  constructor(
    private readonly db: PGlite,
    private readonly onClose: () => void,
  ) {
    super()
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk
    this.drainMessages().then(() => done(), done)
  }

  /** Runs every complete message in the buffer, in order. */
  private async drainMessages(): Promise<void> {
    for (;;) {
      const b = this.buffered
      let length: number
      if (!this.started) {
        // untyped messages: SSL request, cancel request, startup (length, code)
        if (b.length < 8) return
        length = b.readInt32BE(0)
        const code = b.readInt32BE(4)
        if (code === SSL_REQUEST) {
          this.buffered = b.subarray(8)
          this.push(Buffer.from('N')) // no TLS in-process
          continue
        }
        if (code === CANCEL_REQUEST) {
          this.buffered = b.subarray(length)
          continue
        }
        if (code !== PROTOCOL_3) throw new Error(`embedded database: unexpected startup code ${code}`)
      } else {
        if (b.length < 5) return
        length = 1 + b.readInt32BE(1)
      }
      if (b.length < length) return
      const message = new Uint8Array(b.subarray(0, length))
      this.buffered = b.subarray(length)
      const type = this.started ? message[0]! : 0
      this.started = true
      if (this.skipToSync) {
        if (type !== SYNC) continue
        this.skipToSync = false
      }
      if (!EXTENDED.has(type)) {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(message, {
            onRawData: (data: Uint8Array) => {
              if (data.length > 0) this.push(Buffer.from(data))
            },
          }),
        )
        continue
      }
      // An extended-protocol message: its answer is held until complete, to take out a premature ReadyForQuery.
      const chunks: Buffer[] = []
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (data: Uint8Array) => {
            if (data.length > 0) chunks.push(Buffer.from(data))
          },
        }),
      )
      const answer = Buffer.concat(chunks)
      const failed = withoutPrematureReady(answer)
      if (failed !== null) this.skipToSync = true
      const out = failed ?? answer
      if (out.length > 0) this.push(out)
    }
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    // An abandoned transaction must not hold the single session for the next link.
    const rollback = this.db.isInTransaction() ? this.db.exec('rollback').then(() => undefined) : Promise.resolve()
    rollback.then(
      () => {
        this.onClose()
        done(error)
      },
      (e: unknown) => {
        this.onClose()
        done(error ?? (e as Error))
      },
    )
  }

  override _final(done: (error?: Error | null) => void): void {
    this.destroy()
    done()
  }

  // net.Socket methods postgres.js may call
  setKeepAlive(): this {
    return this
  }
  setNoDelay(): this {
    return this
  }
}

export interface EmbeddedDatabase {
  db: PGlite
  /** The socket factory for postgres.js's `socket` option: at most one link at a time. */
  socket: () => Duplex
  /** Links opened so far (one per connection postgres.js made). */
  linksOpened(): number
  stop(): Promise<void>
}

/** Options of a new embedded database. */
export interface EmbeddedOptions {
  /** a tar dump (PGlite's dumpDataDir) to start from, instead of an empty cluster */
  loadDataDir?: Blob
}

/**
 * Starts PGlite with PostGIS on `dataDir` ('memory://' for a throw-away database). The first start
 * of a new directory runs initdb (seconds); a later one opens it. The caller owns the directory
 * (lockDataDir, openEmbeddedDataDir).
 */
export async function startEmbedded(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const [{ PGlite }, postgis] = await Promise.all([import('@electric-sql/pglite'), postgisCore()])
  const db = await PGlite.create({ dataDir, extensions: { postgis }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) })
  let open: PGliteLink | null = null
  let opened = 0
  return {
    db,
    socket() {
      if (open !== null && !open.destroyed) throw new SecondConnectionError('embedded database: a second connection was attempted; PGlite is a single session (set max: 1)')
      opened++
      const link = new PGliteLink(db, () => {
        if (open === link) open = null
      })
      open = link
      return link
    },
    linksOpened: () => opened,
    async stop() {
      open?.destroy()
      await db.close()
    },
  }
}

/**
 * PGlite files must have one owner: a second server on the same DATA_DIR would corrupt them.
 * Takes DATA_DIR/safegrid.pid, replacing it only when the process that wrote it is gone; returns
 * the unlock.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, 'safegrid.pid')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' })
      return () => fs.rm(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number(await fs.readFile(file, 'utf8').catch(() => ''))
      if (pid && pid !== process.pid && isAlive(pid))
        throw new Error(`another safegrid server (pid ${pid}) is using the embedded database in ${dataDir}; stop it or set DATA_DIR`)
      await fs.rm(file, { force: true })
    }
  }
  throw new Error(`could not lock ${file}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** How a new embedded database begins. */
export interface NewDatabaseOptions {
  /**
   * Called only when DATA_DIR has no database yet: a directory of PGlite files (a closed database)
   * to begin from instead of initdb, or null for initdb.
   */
  template?: () => Promise<string | null>
}

/**
 * The embedded database of DATA_DIR, opened — and on the first start created whole or not at all:
 * a new database is built in DATA_DIR/pgdata.partial (initdb, or a copy of the template, then
 * `initialize`: migrations and the demo) and renamed to DATA_DIR/pgdata only when complete, so a
 * server killed part way leaves nothing half made — the next start discards the partial directory
 * and begins again. (A DATA_DIR holding PGlite's files itself, as before, is used as it is.)
 * `initialize` learns whether the database began from the template.
 */
export async function openEmbeddedDataDir(
  dataDir: string,
  initialize: (db: EmbeddedDatabase, from: { template: boolean }) => Promise<void>,
  options: NewDatabaseOptions = {},
): Promise<EmbeddedDatabase & { created: boolean }> {
  const unlock = await lockDataDir(dataDir)
  try {
    const legacy = await exists(path.join(dataDir, 'PG_VERSION'))
    const pgdata = legacy ? dataDir : path.join(dataDir, 'pgdata')
    let created = false
    if (!legacy && !(await exists(pgdata))) {
      const partial = `${pgdata}.partial`
      await fs.rm(partial, { recursive: true, force: true })
      const template = (await options.template?.()) ?? null
      if (template !== null) await copyDirectory(template, partial)
      const fresh = await startEmbedded(partial)
      try {
        await initialize(fresh, { template: template !== null })
      } finally {
        await fresh.stop()
      }
      await fs.rename(partial, pgdata)
      created = true
    }
    const embedded = await startEmbedded(pgdata)
    return {
      ...embedded,
      created,
      async stop() {
        await embedded.stop()
        await unlock()
      },
    }
  } catch (e) {
    await unlock()
    throw e
  }
}

/**
 * Copies the directory `from` to `to` (which must not exist), files in parallel (copy-on-write
 * where the file system can): 70 MB of PGlite files in well under a second, where fs.cp takes
 * several times as long.
 */
export async function copyDirectory(from: string, to: string): Promise<void> {
  await fs.mkdir(to, { recursive: true, mode: 0o700 })
  const entries = await fs.readdir(from, { withFileTypes: true })
  await Promise.all(
    entries.map((e) => {
      const [source, target] = [path.join(from, e.name), path.join(to, e.name)]
      if (e.isDirectory()) return copyDirectory(source, target)
      if (e.isFile()) return fs.copyFile(source, target, fs.constants.COPYFILE_FICLONE)
      throw new Error(`copying ${from}: ${e.name} is neither a file nor a directory`)
    }),
  )
}

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  )
