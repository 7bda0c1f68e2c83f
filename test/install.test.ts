import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * A clean install on the oldest Node.js the project supports: `npm ci`
 * prints an EBADENGINE warning for every locked package whose
 * `engines.node` leaves that version out, and such a package may use what
 * that Node lacks.
 */
interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockedPackage> };
const oldest = semver.minVersion(pkg.engines.node)?.version as string;

describe('a clean install', () => {
  it('the README names the oldest Node.js that package.json allows', () => {
    const [major, minor] = oldest.split('.');
    expect(readFileSync('README.md', 'utf8')).toContain(`With Node.js ${major}.${minor} or newer`);
  });

  it('every locked package supports that Node.js', () => {
    const refusing = Object.entries(lock.packages)
      .map(([path, p]) => ({ path, version: p.version, node: Array.isArray(p.engines) ? undefined : p.engines?.node }))
      .filter((p) => p.node !== undefined && !semver.satisfies(oldest, p.node))
      .map((p) => `${p.path.replace(/^node_modules\//, '')}@${p.version} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });
});
