/**
 * podman helpers shared by the container test (test/container) and the image bench (bench/image.ts):
 * run podman with the sandbox's containers.conf, build the project image on the local stand-in
 * base, and measure it (total size, and the app layers: what the Dockerfile adds on top of the base).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** The Dockerfile's base; scripts/podman-setup.sh builds a local stand-in under this name. */
export const NODE_BASE_IMAGE = 'docker.io/library/node:24-bookworm-slim';
/** Sandbox fixes (runc, rlimits within the hard limit); /etc stays untouched. */
export const PODMAN_ENV = {
  ...process.env,
  CONTAINERS_CONF: join(REPO_ROOT, 'test/container/containers.conf'),
};

export interface PodmanResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous, so a long build does not block the event loop. Kills podman after timeoutMs. */
export function podman(args: string[], timeoutMs = 60_000): Promise<PodmanResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('podman', args, {
      env: PODMAN_ENV,
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolveRun({ status, stdout, stderr });
    });
  });
}

/**
 * Builds the Dockerfile as `image`, and its build stage as `${image}-build`: tagging the build stage
 * keeps its layer cache when untagged images are pruned, so a rebuild after a src/ change takes
 * seconds. Returns the build's wall time in seconds.
 */
export async function buildImage(image: string, timeoutMs = 900_000): Promise<number> {
  const started = performance.now();
  for (const target of [
    ['--target', 'build', '-t', `${image}-build`],
    ['-t', image],
  ]) {
    const build = await podman(['build', '--pull=never', '--format', 'docker', ...target, '.'], timeoutMs);
    if (build.status !== 0)
      throw new Error(`podman build failed:\n${(build.stdout + build.stderr).slice(-3000)}`);
  }
  return (performance.now() - started) / 1000;
}

export interface AppLayer {
  bytes: number;
  createdBy: string;
}

export interface ImageSizes {
  /** The whole image, base included (podman image inspect .Size). */
  imageBytes: number;
  baseBytes: number;
  /** What the Dockerfile's runtime stage adds on top of the base: image − base. */
  appBytes: number;
  /** The non-empty layers above the base, newest first (podman history). */
  appLayers: AppLayer[];
}

async function inspectSize(image: string): Promise<number> {
  const inspect = await podman(['image', 'inspect', '--format', '{{.Size}}', image]);
  if (inspect.status !== 0) throw new Error(`podman image inspect ${image}: ${inspect.stderr.trim()}`);
  return Number(inspect.stdout.trim());
}

async function history(image: string): Promise<{ size: number; CreatedBy: string }[]> {
  const result = await podman(['history', '--format', 'json', image]);
  if (result.status !== 0) throw new Error(`podman history ${image}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as { size: number; CreatedBy: string }[];
}

export async function measureImage(image: string, base = NODE_BASE_IMAGE): Promise<ImageSizes> {
  const [imageBytes, baseBytes, imageHistory, baseHistory] = await Promise.all([
    inspectSize(image),
    inspectSize(base),
    history(image),
    history(base),
  ]);
  // History is newest first; the base's entries are the image's last ones.
  const appLayers = imageHistory
    .slice(0, imageHistory.length - baseHistory.length)
    .filter((entry) => entry.size > 0)
    .map((entry) => ({ bytes: entry.size, createdBy: entry.CreatedBy.replace(/\s+/g, ' ').slice(0, 80) }));
  return { imageBytes, baseBytes, appBytes: imageBytes - baseBytes, appLayers };
}

export const MB = 1_000_000;

export function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}
