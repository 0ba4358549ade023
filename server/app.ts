import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { startHealthMonitor } from './db/health.js';
import { AppError } from './errors.js';
import { langOf, registerErrorHandling, sendError, serializeError } from './http/errors.plugin.js';
import { registerHostileInputGuard } from './http/hostile.plugin.js';
import './fastify-types.js';
import { registerAccess } from './modules/auth/auth.plugin.js';
import { adminRoutes } from './modules/admin/admin.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { ledgerVerifyRoutes } from './modules/statements/ledger-verify.routes.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { developmentRoutes } from './modules/developments/developments.routes.js';
import { productRoutes } from './modules/products/products.routes.js';
import { saleRoutes } from './modules/sales/sales.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { scoringRoutes } from './modules/scoring/scoring.routes.js';
import { roleRoutes, settingsRoutes } from './modules/settings/settings.routes.js';
import { statementRoutes } from './modules/statements/statements.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { targetRoutes } from './modules/targets/targets.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { objectionRoutes } from './modules/objections/objections.routes.js';
import { leadRoutes } from './modules/leads/leads.routes.js';
import { activityRoutes } from './modules/projects/activities.routes.js';
import { projectRoutes } from './modules/projects/projects.routes.js';
import { surveyPublicRoutes, surveyRoutes } from './modules/surveys/surveys.routes.js';
import { vipRoutes } from './modules/vip/vip.routes.js';
import { interbankRegistryRoutes } from './modules/interbank/registry.routes.js';
import { interbankCoverageRoutes } from './modules/interbank/coverage.routes.js';
import { supplyChainRoutes } from './modules/supplychain/supplychain.routes.js';
import { whitelistRoutes } from './modules/whitelists/whitelists.routes.js';
import { warningsRoutes } from './modules/warnings/warnings.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { reportSubscriptionRoutes } from './modules/reports/subscriptions.routes.js';
import { inclusiveRoutes } from './modules/inclusive/inclusive.routes.js';
import { drilldownRoutes } from './modules/reports/drilldown.routes.js';
import { exportRoutes } from './modules/reports/export.routes.js';
import { periodRoutes } from './modules/periods/periods.routes.js';
import { spotCheckRoutes } from './modules/spotchecks/spotchecks.routes.js';
import { quotaRoutes } from './modules/quotas/quotas.routes.js';
import { dashboardRoutes } from './modules/dashboards/dashboards.routes.js';
import { assessmentRoutes } from './modules/assessment/assessment.routes.js';
import { setupRoutes } from './modules/setup/setup.routes.js';
import { workbenchRoutes } from './modules/workbench/workbench.routes.js';
import { registerAllImportKinds } from './import-kinds.js';

/**
 * Builds the whole application on a database; tests call this and use `app.inject()`.
 * `adminToken` opens the local admin channel (`/api/admin`, the CLI while the server runs).
 */
export async function buildApp(
  database: Database,
  config: Config,
  opts: { adminToken?: string; /** Where log lines go instead of stdout (tests read them). */ logStream?: { write(line: string): void } } = {},
): Promise<FastifyInstance> {
  registerAllImportKinds();
  // Errors are logged without SQL text or parameters (decision 0022).
  const serializers = { err: serializeError, error: serializeError };
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, serializers, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    // Only the configured proxies may tell us the client's address (TRUST_PROXY, off by default).
    trustProxy: config.TRUST_PROXY.length > 0 ? config.TRUST_PROXY : false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('database', database);
  app.decorate('config', config);
  app.decorate('adminToken', opts.adminToken ?? null);
  // Health answers from a background probe, never from the request path's pool (decision 0018).
  const health = startHealthMonitor(database, { intervalMs: config.HEALTH_PROBE_SECONDS * 1000, timeoutMs: 2000 });
  app.decorate('health', health);
  app.addHook('onReady', async () => void (await health.probe()));
  app.addHook('onClose', async () => health.stop());
  // API answers are never cached — not by the browser, not by a proxy (issue 10, finding 3b):
  // they carry personal data. Downloads that set their own Cache-Control keep it.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd writes its styles at run time; swagger-ui needs inline styles too.
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: Math.round(config.IMPORT_MAX_MB * 1024 * 1024), files: 1, fields: 10 } });
  registerErrorHandling(app);
  registerAccess(app);
  registerHostileInputGuard(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Linkage API — 公私联动交叉营销管理平台', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'linkage_sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(systemRoutes, { prefix: '/api' });
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(setupRoutes, { prefix: '/api/setup' });
  await app.register(orgRoutes, { prefix: '/api/org' });
  await app.register(staffRoutes, { prefix: '/api/staff' });
  await app.register(auditRoutes, { prefix: '/api/audit' });
  await app.register(ledgerVerifyRoutes, { prefix: '/api/audit' });
  await app.register(settingsRoutes, { prefix: '/api/settings' });
  await app.register(roleRoutes, { prefix: '/api/roles' });
  await app.register(importRoutes, { prefix: '/api/imports' });
  await app.register(customerRoutes, { prefix: '/api/customers' });
  await app.register(targetRoutes, { prefix: '/api/targets' });

  await app.register(scoringRoutes, { prefix: '/api/scoring' });
  await app.register(statementRoutes, { prefix: '/api/statements' });

  await app.register(productRoutes, { prefix: '/api/products' });
  await app.register(developmentRoutes, { prefix: '/api/developments' });
  await app.register(saleRoutes, { prefix: '/api/sales' });

  // The month's life (SPEC §9): publication, objections, spot checks, notifications.
  await app.register(periodRoutes, { prefix: '/api/periods' });
  await app.register(objectionRoutes, { prefix: '/api/objections' });
  await app.register(leadRoutes, { prefix: '/api/leads' });
  await app.register(projectRoutes, { prefix: '/api/projects' });
  await app.register(activityRoutes, { prefix: '/api/projects' });
  await app.register(surveyRoutes, { prefix: '/api/surveys' });
  // The needs survey on a phone: no login, a signed single-use token (decision 0030).
  await app.register(surveyPublicRoutes, { prefix: '/api/public/survey' });
  await app.register(vipRoutes, { prefix: '/api/vip' });
  // 同业合作平台 (SPEC §11): the registry, signings, pool, pipeline, visits and landings.
  await app.register(interbankRegistryRoutes, { prefix: '/api/interbank' });
  await app.register(interbankCoverageRoutes, { prefix: '/api/interbank' });
  await app.register(supplyChainRoutes, { prefix: '/api/supplychain' });
  // 经营快贷白名单 (SPEC §12).
  await app.register(whitelistRoutes, { prefix: '/api/whitelists' });
  await app.register(warningsRoutes, { prefix: '/api/warnings' });
  await app.register(spotCheckRoutes, { prefix: '/api/spot-checks' });
  await app.register(notificationRoutes, { prefix: '/api/notifications' });

  // Quotas, dashboards and the year-end assessment (SPEC §10).
  await app.register(quotaRoutes, { prefix: '/api/quotas' });
  await app.register(dashboardRoutes, { prefix: '/api/dashboards' });
  await app.register(assessmentRoutes, { prefix: '/api/assessment' });
  await app.register(workbenchRoutes, { prefix: '/api/workbench' });
  // The reporting calendar (SPEC §13, issue 16).
  await app.register(reportsRoutes, { prefix: '/api/reports' });
  await app.register(reportSubscriptionRoutes, { prefix: '/api/reports' });
  // 普惠金融: outlet performance, the quarterly grouping rule and 蹲点 visits (SPEC §12).
  await app.register(inclusiveRoutes, { prefix: '/api/inclusive' });
  await app.register(drilldownRoutes, { prefix: '/api/reports' });
  await app.register(exportRoutes, { prefix: '/api/reports' });

  // The CLI's operator commands while this server holds the embedded database (issue 10).
  await app.register(adminRoutes, { prefix: '/api/admin' });

  // The built console, with client-side routes falling back to index.html.
  const webDist = path.resolve(config.WEB_DIST);
  const hasWeb = existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api')) return reply.sendFile('index.html');
    return sendError(reply, req.lang ?? langOf(req), new AppError('ROUTE.NOT_FOUND'));
  });
  return app;
}
