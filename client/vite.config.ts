import { existsSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Logger, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const clientRoot = fileURLToPath(new URL('.', import.meta.url));
/** Where the API serves the client from (CLIENT_DIST). */
const outDir = fileURLToPath(new URL('../dist/client', import.meta.url));
/** Where this build writes; moved to `outDir` only once complete. */
const stagingDir = `${outDir}.building-${process.pid}`;

/**
 * Puts a finished build in place with two renames instead of emptying
 * dist/client at the start: a server running meanwhile (npm start, or the
 * browser tests of a parallel run) keeps serving the previous build instead
 * of "not built" for the seconds a build takes. A failed build leaves the
 * previous one alone.
 */
function swapIntoPlace(): Plugin {
  let logger: Logger | undefined;
  return {
    name: 'zz:swap-into-place',
    apply: 'build',
    configResolved(config) {
      logger = config.logger;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        if (!existsSync(`${stagingDir}/index.html`)) {
          rmSync(stagingDir, { recursive: true, force: true });
          return;
        }
        const previous: string[] = [];
        // Another build may be swapping at the same moment: retry until ours is in place.
        for (let attempt = 0; ; attempt++) {
          try {
            if (existsSync(outDir)) {
              const aside = `${outDir}.previous-${process.pid}-${attempt}`;
              renameSync(outDir, aside);
              previous.push(aside);
            }
            renameSync(stagingDir, outDir);
            break;
          } catch (error) {
            if (attempt >= 5) throw error;
          }
        }
        for (const folder of previous) rmSync(folder, { recursive: true, force: true });
        logger?.info(`moved into ${outDir}`);
      },
    },
  };
}

/**
 * Prints the gzip size of the JavaScript and CSS the first page (the login
 * route, which a student opens on a phone) downloads: the entry chunk and
 * everything it imports statically. Role views are dynamic imports and are
 * not counted; if this number jumps, something heavy leaked into the entry.
 */
function firstPageSize(): Plugin {
  return {
    name: 'zz:first-page-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry || entry.type !== 'chunk') return;
      const js = new Set<string>();
      const css = new Set<string>();
      const visit = (fileName: string) => {
        if (js.has(fileName)) return;
        const chunk = bundle[fileName];
        if (!chunk || chunk.type !== 'chunk') return;
        js.add(fileName);
        for (const file of chunk.viteMetadata?.importedCss ?? []) css.add(file);
        for (const imported of chunk.imports) visit(imported);
      };
      visit(entry.fileName);
      const gzip = (files: Set<string>) => {
        let raw = 0;
        let zipped = 0;
        for (const file of files) {
          const item = bundle[file];
          if (!item) continue;
          const source = item.type === 'chunk' ? item.code : item.source;
          raw += Buffer.byteLength(source);
          zipped += gzipSync(source, { level: 9 }).length;
        }
        return `${(raw / 1024).toFixed(1)} kB, gzip ${(zipped / 1024).toFixed(1)} kB`;
      };
      this.info(
        `first page (login) loads JS ${gzip(js)} in ${js.size} file(s); CSS ${gzip(css)} in ${css.size} file(s)`,
      );
    },
  };
}

export default defineConfig({
  root: clientRoot,
  base: '/',
  plugins: [vue(), firstPageSize(), swapIntoPlace()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // Composition API only: drops the Options API from Vue's runtime.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    // vue-i18n: Composition API only, no <i18n-t>/v-t globals, no devtools.
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: {
    proxy: {
      // The API of `npm start`; API_PROXY_TARGET points the dev client at another one.
      '/api': { target: process.env.API_PROXY_TARGET ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
  build: {
    // Lands in dist/client (see swapIntoPlace); the staging folder starts empty.
    outDir: stagingDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
