import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

/** The web app lives in web/; `vite build` writes web/dist, which the Hono server serves. */
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/tiles': 'http://127.0.0.1:8080',
      '/ogc': 'http://127.0.0.1:8080',
    },
  },
})
