import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default (the client address is the TCP peer)', () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toEqual([]);
  });

  it('takes a comma-separated list of addresses, CIDR blocks and range names', () => {
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.1, 10.1.0.0/16 ,fd00::/8,loopback' }).TRUST_PROXY).toEqual(['10.0.0.1', '10.1.0.0/16', 'fd00::/8', 'loopback']);
  });

  it('refuses to trust everybody, or anything that is not an address', () => {
    for (const bad of ['true', '*', '2', '10.0.0.1/33', 'proxy.example.com', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('day-one defaults (docs/deploy/安装到生产环境.md)', () => {
  it('listens on every interface at port 3000, loads the demo bank into an empty database, insecure cookies, no proxy', () => {
    const c = loadConfig({});
    expect({ HOST: c.HOST, PORT: c.PORT, SEED_DEMO: c.SEED_DEMO, COOKIE_SECURE: c.COOKIE_SECURE, TRUST_PROXY: c.TRUST_PROXY, DATABASE_URL: c.DATABASE_URL }).toEqual({
      HOST: '0.0.0.0',
      PORT: 3000,
      SEED_DEMO: true,
      COOKIE_SECURE: false,
      TRUST_PROXY: [],
      DATABASE_URL: undefined,
    });
  });

  it('takes the production settings of the install guide', () => {
    const c = loadConfig({ SEED_DEMO: 'false', HOST: '127.0.0.1', PORT: '8080', COOKIE_SECURE: 'true', TRUST_PROXY: 'loopback' });
    expect([c.SEED_DEMO, c.HOST, c.PORT, c.COOKIE_SECURE, c.TRUST_PROXY]).toEqual([false, '127.0.0.1', 8080, true, ['loopback']]);
    expect(() => loadConfig({ SEED_DEMO: 'no' })).toThrow(/SEED_DEMO/);
  });
});
