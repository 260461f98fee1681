import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console's build: `console/dist`, served by `npm start` at `/` of the API's port and, in
 * AWS, from S3 behind CloudFront. `npm run console:dev` proxies the API to a running `npm start`.
 */
export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/local', '/config.json', '/openapi.json', '/api'].map((path) => [
        path,
        `http://localhost:${process.env.PORT ?? 3000}`,
      ]),
    ),
  },
});
