// Copies the files the bundled bot needs at run time besides dist/ into OUT_DIR/node_modules: the
// packages listed in package.json "nativeRuntime" (package → paths inside it; `{arch}` in either is
// process.arch), nothing else. That is every native addon (and its platform package, e.g.
// "@scope/pkg-linux-{arch}-gnu"), and any package whose data files are read from disk at run time.
// The Dockerfile's runtime stage copies OUT_DIR as one small layer.
// Usage: node scripts/runtime-files.mjs OUT_DIR
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/runtime-files.mjs OUT_DIR');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];
for (const [listed, paths] of Object.entries(pkg.nativeRuntime ?? {})) {
  const name = listed.replaceAll('{arch}', process.arch);
  if (!existsSync(join('node_modules', name, 'package.json'))) {
    problems.push(`${name}: listed in "nativeRuntime" but not installed`);
    continue;
  }
  for (const pattern of paths) {
    const path = pattern.replaceAll('{arch}', process.arch);
    const from = join('node_modules', name, path);
    if (!existsSync(from)) {
      problems.push(
        `${name}: ${path} does not exist (is the package installed for ${process.platform}-${process.arch}?)`,
      );
      continue;
    }
    cpSync(from, join(out, 'node_modules', name, path), { recursive: true });
  }
}
if (problems.length > 0) {
  console.error(`runtime-files: ${problems.join('\n  ')}`);
  process.exit(1);
}
