import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Decision 0025: the Node versions with require(esm) on by default — 20.19+ in 20.x, 22.12+ after.
 * `cookie@2` and `content-disposition@3` (ESM only) are require()d by @fastify/cookie,
 * light-my-request and @fastify/static; on any other version the server cannot start.
 */
function supportedNode(version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major === 20) return minor >= 19;
  if (major === 22) return minor >= 12;
  return major > 22;
}

describe('Node version (decision 0025)', () => {
  it('package.json engines says the range the decision gives', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
  });

  it('knows the edges of the range', () => {
    expect(['v20.18.3', 'v21.7.0', 'v22.11.0', 'v18.20.0'].filter(supportedNode)).toEqual([]);
    expect(['v20.19.0', 'v20.20.2', 'v22.12.0', 'v24.1.0'].every(supportedNode)).toBe(true);
  });

  it('the tests run on a supported Node, where the ESM-only dependencies load through require()', async () => {
    expect(supportedNode(process.version), process.version).toBe(true);
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    expect(typeof (require('cookie') as { parseCookie: unknown }).parseCookie).toBe('function');
    expect(typeof (require('content-disposition') as { create: unknown }).create).toBe('function');
  });
});
