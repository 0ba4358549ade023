// Scratch: screenshots of every page against the dev server (to be deleted).
import { launchBrowser, newContext, shot, signIn } from './browser.js';
const who = process.argv[2] ?? 'admin';
const pages = (process.argv[3] ?? '/overview,/org,/staff,/audit,/settings,/roles,/imports').split(',');
const browser = await launchBrowser();
const ctx = await newContext(browser, 'http://127.0.0.1:3000');
const page = await ctx.newPage();
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text().slice(0, 300)); });
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto('/login');
await shot(page, `tmp-login`);
await signIn(page, who);
for (const p of pages) {
  await page.goto(p);
  await page.waitForTimeout(1500);
  await shot(page, `tmp-${who}${p.replace(/[/?=&]/g, '_')}`);
}
await browser.close();
