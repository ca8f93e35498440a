// Bundles the compiled entry (dist/main.js, from tsc) with its npm dependencies into one file, in
// place. Why: Node 20 spends most of a cold start resolving and compiling hundreds of small module
// files (discord.js, kysely, zod, pg, prom-client…); one bundle roughly halves spawn → listening
// (see README Performance). tsc still type-checks and emits every module; this only re-packs the entry.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Native addons and optional native speed-ups must stay real files in node_modules.
  external: ['better-sqlite3', 'pg-native', 'zlib-sync', 'bufferutil', 'utf-8-validate'],
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __badgeyCreateRequire } from 'node:module';\nconst require = __badgeyCreateRequire(import.meta.url);",
  },
});
