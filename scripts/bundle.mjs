// Builds the bot into self-contained files straight from src/ (ENTRIES: dist/main.js, plus any
// worker entry): our code and every pure-JS npm dependency (discord.js, kysely, pg, zod,
// pino…) bundled by esbuild. Why: a cold start that resolves and compiles hundreds of small module
// files is slow, and an image that ships all of node_modules for a handful of files it loads is
// large (README "Deploy to Kubernetes", Image). Type-checking is `npm run typecheck` (tsc --noEmit);
// nothing else is emitted into dist/, and the image copies dist/ without the source maps.
//
// Native addons cannot be bundled: they are listed in package.json "nativeRuntime" (package →
// files it needs at run time), stay external here, and scripts/runtime-files.mjs copies exactly
// those files into the image. A new dependency that is pure JS needs nothing; one that is native
// fails this build until it is listed (see checkNoBundledNatives).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';

/** src/ entry → dist/ output path without .js. A worker's file is an entry of its own. */
const ENTRIES = [
  { in: 'src/main.ts', out: 'main' },
  // The /stats chart worker (ChartRenderer starts dist/chartWorker.js beside dist/main.js): Vega and
  // resvg load only in that child process, when a chart is drawn.
  { in: 'src/render/charts/chartWorker.ts', out: 'chartWorker' },
];

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nativeRuntime = Object.keys(pkg.nativeRuntime ?? {}).map((name) =>
  name.replaceAll('{arch}', process.arch),
);
// Optional native speed-ups that libraries probe for with a guarded require() and do without
// (pg → pg-native, discord.js → zlib-sync/bufferutil/utf-8-validate). Not installed, not shipped.
const optionalNatives = ['pg-native', 'zlib-sync', 'bufferutil', 'utf-8-validate'];

/** The package folder (…/node_modules/name or …/node_modules/@scope/name) holding a bundled input. */
function packageRootOf(input) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + length).join(sep);
}

/** True when the package compiles or ships a .node addon (which a bundle cannot carry). */
function isNativePackage(root) {
  if (existsSync(join(root, 'binding.gyp'))) return true;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (manifest.gypfile === true) return true;
  const hasAddon = (dir, depth) =>
    readdirSync(dir, { withFileTypes: true }).some((entry) =>
      entry.isDirectory()
        ? depth > 0 && entry.name !== 'node_modules' && hasAddon(join(dir, entry.name), depth - 1)
        : entry.name.endsWith('.node'),
    );
  return hasAddon(root, 3);
}

function checkNoBundledNatives(metafile) {
  const roots = new Set(Object.keys(metafile.inputs).map(packageRootOf).filter(Boolean));
  const natives = [...roots].filter(isNativePackage).map((root) => root.split(`node_modules${sep}`).pop());
  if (natives.length > 0) {
    throw new Error(
      `native package(s) ${natives.join(', ')} would be bundled: list each in package.json "nativeRuntime" ` +
        '(package → the files it needs at run time) so it stays external and is copied into the image',
    );
  }
}

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ENTRIES,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // Not shipped in the image (Dockerfile); `node --enable-source-maps dist/main.js` uses it locally.
  sourcemap: true,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // A .node file reached through a plain require() would stop here with "No loader is configured".
  external: [...nativeRuntime, ...optionalNatives],
  // jsonc-parser's `main` is a UMD build whose require('./impl/…') calls esbuild cannot follow; its ESM build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __badgeyCreateRequire } from 'node:module';\nconst require = __badgeyCreateRequire(import.meta.url);",
  },
});
checkNoBundledNatives(result.metafile);
// dist/ must hold only the entries (and their maps): the image copies dist/, and a stray emit
// would be shipped unused.
const expected = new Set(ENTRIES.flatMap((entry) => [`${entry.out}.js`, `${entry.out}.js.map`]));
const extra = readdirSync('dist', { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative('dist', join(entry.parentPath, entry.name)).split(sep).join('/'))
  .filter((path) => !expected.has(path));
if (extra.length > 0) throw new Error(`unexpected files in dist/: ${extra.join(', ')}`);
