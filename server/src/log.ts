/** Minimal structured logging to stderr (one JSON object a line), filtered by LOG_LEVEL. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
type Level = keyof typeof LEVELS

let threshold: number = LEVELS[(process.env.LOG_LEVEL as Level) in LEVELS ? (process.env.LOG_LEVEL as Level) : 'info']

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (LEVELS[level] < threshold) return
  // a field cannot replace the line's own time, level or message
  const { at: _at, level: _level, msg: _msg, ...rest } = fields ?? {}
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, msg, ...rest })}\n`)
}

export const log = {
  setLevel(level: Level) {
    threshold = LEVELS[level]
  },
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
}
