import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the provider under /studio/ (same origin as /api and /ws); `vite` (dev) proxies both to
// a provider on PROVIDER_URL (default http://127.0.0.1:8080).
const provider = process.env.PROVIDER_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/studio/',
  plugins: [react()],
  resolve: { conditions: ['development', 'browser', 'module', 'import', 'default'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': provider, '/ws': { target: provider, ws: true } } },
});
