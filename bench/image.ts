/**
 * Image size: builds the Dockerfile with podman on the local stand-in for node:24-bookworm-slim
 * (scripts/podman-setup.sh; cached layers make a rebuild quick) and reports the app layers (what
 * the Dockerfile adds to the base: dist/main.js, the native run-time files, the SBOM) and the whole
 * image, from `podman image inspect` and `podman history`.
 *
 * Baseline: the image before issue 18 (node:20-bookworm-slim, the full production node_modules
 * plus tsc's dist/), measured with `podman history` on `make image`: 70.4 MB node_modules +
 * 17.1 MB dist = 87.5 MB of app layers. That image no longer exists here, so the figure is fixed.
 *
 *   npx tsx bench/image.ts          prints the rows
 *   import { benchImage }           returns the rows (bench/run.ts)
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImage, MB, measureImage, NODE_BASE_IMAGE } from '../test/support/containerImage.js';
import { formatRows } from './report.js';
import type { BenchRow } from './types.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const IMAGE = 'localhost/badgey:bench';
const BASELINE_APP_MB = 70.4 + 17.1;
const TARGET_APP_MB = 20;

function mb(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}

export async function benchImage(): Promise<BenchRow[]> {
  const buildSeconds = await buildImage(IMAGE);
  const sizes = await measureImage(IMAGE);
  const appMb = mb(sizes.appBytes);
  return [
    {
      name: 'image app layers (dist + native files + SBOM)',
      value: appMb,
      unit: 'MB',
      baseline: BASELINE_APP_MB,
      baselineName: 'node:20 image: node_modules + dist',
      target: `≤ ${TARGET_APP_MB} MB`,
      note: sizes.appLayers.map((layer) => `${mb(layer.bytes)} MB ${layer.createdBy}`).join('; '),
    },
    {
      name: 'image total (base + app layers)',
      value: mb(sizes.imageBytes),
      unit: 'MB',
      note:
        `base ${mb(sizes.baseBytes)} MB is the local stand-in for ${NODE_BASE_IMAGE} (Debian minbase, the ` +
        `official Node binary, npm, headers), not the registry image; build took ${buildSeconds.toFixed(0)} s`,
    },
  ];
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === THIS_FILE;
if (isMain) {
  console.log(formatRows(await benchImage()));
  process.exit(0);
}
