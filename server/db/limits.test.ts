import { describe, expect, it } from 'vitest';
import { ConnectionGate, DatabaseBusyError, overloadCode } from './limits.js';

describe('ConnectionGate (PGlite: the wait for its one connection is bounded)', () => {
  it('serves callers one at a time, in arrival order', async () => {
    const gate = new ConnectionGate(1000);
    const order: string[] = [];
    let open!: () => void;
    const first = gate.run(() => new Promise<void>((r) => (open = r)).then(() => order.push('a')));
    const second = gate.run(async () => order.push('b'));
    const third = gate.run(async () => order.push('c'));
    await new Promise((r) => setImmediate(r)); // the first caller is inside
    expect(gate.waiting).toBe(2);
    expect(gate.inUse).toBe(true);
    open();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(gate.inUse).toBe(false);
  });

  it('refuses a caller that waited longer than the acquire timeout, and serves the next one', async () => {
    const gate = new ConnectionGate(50);
    let open!: () => void;
    const hog = gate.run(() => new Promise<void>((r) => (open = r)));
    const t0 = performance.now();
    await expect(gate.run(async () => 'never')).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(gate.waiting).toBe(0);
    const later = gate.run(async () => 'served');
    await new Promise((r) => setImmediate(r));
    open();
    await hog;
    await expect(later).resolves.toBe('served');
  });

  it('frees the connection when the work throws', async () => {
    const gate = new ConnectionGate(50);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 1)).resolves.toBe(1);
  });
});

describe('overloadCode (which failures answer 503)', () => {
  it('maps a cancelled statement, pg-pool’s acquire timeout and the gate, also when wrapped', () => {
    expect(overloadCode(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toBe('SYSTEM.TIMEOUT');
    const wrapped = new Error('Failed query: SELECT …', { cause: Object.assign(new Error('canceling statement'), { code: '57014' }) });
    expect(overloadCode(wrapped)).toBe('SYSTEM.TIMEOUT');
    expect(overloadCode(new Error('timeout exceeded when trying to connect'))).toBe('SYSTEM.BUSY');
    expect(overloadCode(new Error('x', { cause: new DatabaseBusyError(300) }))).toBe('SYSTEM.BUSY');
    expect(overloadCode(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(overloadCode('nope')).toBeNull();
  });
});

describe('a background import that gets no connection', () => {
  it('ends with SYSTEM.BUSY in the import’s own words, not the driver’s', async () => {
    const { processImport } = await import('../modules/imports/import.service.js');
    const { staffSpec } = await import('../modules/staff/staff.import.js');
    // Every database call fails as a saturated pool does.
    const busy = (): unknown =>
      new Proxy(() => undefined, {
        get: () => busy(),
        apply: () => {
          throw new DatabaseBusyError(5000);
        },
      });
    const auth = { staffId: 1, staffNo: 'admin', name: 'admin', nodeId: 1, sessionId: '', csrfToken: '', mustChangePassword: false, grants: [] };
    const summary = await processImport(busy() as never, 'job', { auth, spec: staffSpec, fileName: 'staff.csv', bytes: Buffer.from('工号,姓名\nA1,x\n'), mode: 'all' });
    expect(summary.status).toBe('failed');
    expect(summary.message).toEqual({ code: 'SYSTEM.BUSY', zh: '系统繁忙：数据库连接已全部占用，请稍后重试', en: 'The system is busy: every database connection is in use; please try again shortly' });
  });
});
