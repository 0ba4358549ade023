import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/client.js';
import { clock } from '../../calendar/index.js';
import { canAt } from '../access/context.js';
import { appendAudit } from '../audit/audit.service.js';
import { codeCell } from '../imports/cells.js';
import { type ImportColumn, type ImportSpec, parseCells, type RowError } from '../imports/import-spec.js';
import { type CellRaw, cellText } from '../imports/normalize.js';
import { CADENCE_LABELS, type ReportPeriod } from './cadence.rules.js';
import { measureHeader, parseFeedPeriod, parseMeasure, PERIOD_EXAMPLE, TYPED_FEEDS, type TypedFeed } from './views-feeds.js';

/**
 * The generic typed-feed import (issue 16 part B): one import kind per feed of `TYPED_FEEDS`, its
 * Chinese-header template built from the feed's column definition — 期间, 机构号, then one column per
 * measure. Like the four-bank feed: every row checked by cell, all or nothing, each row's node
 * inside the importer's report.manage scope, no period that has not begun, the same file again
 * changes nothing, a corrected figure replaces the row (issues already produced keep what they froze).
 */
export interface FeedRow {
  period: ReportPeriod;
  nodeCode: string;
  nodeId: number;
  values: Record<string, number>;
}

const EXAMPLE: Record<string, number> = { fen: 1234567.89, count: 12, bp: 98.5 };

function columns(feed: TypedFeed): ImportColumn[] {
  const cadences = feed.cadences.map((c) => CADENCE_LABELS[c].zh).join('或');
  return [
    {
      key: 'period',
      header: '期间',
      headerEn: 'Period',
      aliases: ['统计期间', '报告期'],
      required: true,
      example: PERIOD_EXAMPLE[feed.cadences[0]],
      text: true,
      width: 18,
      schema: z.preprocess((v: unknown) => parseFeedPeriod(cellText(v as CellRaw), feed.cadences), z.object({ key: z.string(), from: z.string(), to: z.string(), label: z.string() }).passthrough()),
      invalid: {
        zh: `应为${cadences}报告期，如“${feed.cadences.map((c) => PERIOD_EXAMPLE[c]).join('”或“')}”`,
        en: `a ${feed.cadences.join(' or ')} period such as ${feed.cadences.map((c) => PERIOD_EXAMPLE[c]).join(' or ')}`,
      },
    },
    { key: 'nodeCode', header: '机构号', headerEn: 'Org code', required: true, example: '44100', text: true, width: 10, schema: codeCell(), invalid: { zh: '应为机构号', en: 'an org code' } },
    ...feed.measures.map((x): ImportColumn => ({
      key: x.key,
      header: measureHeader(x),
      headerEn: `${x.en}${x.unit === 'fen' ? ' (yuan)' : x.unit === 'bp' ? ' (%)' : ''}`,
      aliases: [x.zh],
      required: true,
      example: EXAMPLE[x.unit],
      width: 16,
      schema: z.preprocess((v: unknown) => parseMeasure(cellText(v as CellRaw), x.unit, x.signed), z.number().int()),
      invalid:
        x.unit === 'count'
          ? { zh: `应为${x.signed ? '' : '不小于0的'}整数`, en: `${x.signed ? 'a whole number' : 'a whole number, not negative'}` }
          : x.unit === 'bp'
            ? { zh: `应为百分数（如98.5），最多两位小数${x.signed ? '' : '，不小于0'}`, en: 'a percentage such as 98.5, at most 2 decimals' }
            : { zh: `应为金额（元），最多两位小数${x.signed ? '' : '，不小于0'}`, en: 'an amount in yuan, at most 2 decimals' },
    })),
  ];
}

/** The import of one typed feed. */
export function typedFeedSpec(feed: TypedFeed): ImportSpec<FeedRow> {
  const cols = columns(feed);
  return {
    kind: feed.importKind,
    labelZh: feed.zh,
    labelEn: feed.en,
    permission: 'report.manage',
    columns: cols,

    parseRow(cells) {
      const { values, errors } = parseCells(cols, cells);
      if (errors.length) return { errors };
      return {
        value: {
          period: values.period as ReportPeriod,
          nodeCode: values.nodeCode as string,
          nodeId: 0,
          values: Object.fromEntries(feed.measures.map((x) => [x.key, values[x.key] as number])),
        },
      };
    },

    naturalKey: (v) => `${v.period.key}|${v.nodeCode}`,

    async prepare(db, list, ctx) {
      const errors = new Map<number, RowError[]>();
      const codes = [...new Set(list.map((r) => r.value.nodeCode))];
      const nodes = new Map(
        (await rows<{ id: number; code: string; path: string }>(db, sql`SELECT id, code, path FROM org_nodes WHERE code = ANY(${`{${codes.map((c) => `"${c}"`).join(',')}}`}::text[])`)).map((n) => [
          n.code,
          n,
        ]),
      );
      const today = clock.today();
      for (const r of list) {
        const errs: RowError[] = [];
        const v = r.value;
        const n = nodes.get(v.nodeCode);
        if (!n) errs.push({ column: 'nodeCode', zh: `机构号 ${v.nodeCode} 不存在`, en: `unknown org code ${v.nodeCode}` });
        else if (!canAt(ctx.auth, 'report.manage', n.path))
          errs.push({ column: 'nodeCode', zh: `机构 ${v.nodeCode} 不在您的管理范围内`, en: `${v.nodeCode} is outside your scope`, code: 'AUTH.OUT_OF_SCOPE' });
        else v.nodeId = Number(n.id);
        if (v.period.from > today) errs.push({ column: 'period', zh: `${v.period.label}尚未开始，不能导入其数据`, en: `${v.period.label} has not begun` });
        if (errs.length) errors.set(r.rowNumber, errs);
      }
      return errors;
    },

    async write(tx, list, ctx, onRows) {
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      const now = clock.now();
      for (const { value: v } of list) {
        const old = await rows<{ measure: string; value: string | number }>(
          tx,
          sql`SELECT measure, value FROM report_feed_rows WHERE feed = ${feed.name} AND period_key = ${v.period.key} AND node_id = ${v.nodeId}`,
        );
        const before = Object.fromEntries(old.map((o) => [o.measure, Number(o.value)]));
        if (old.length && feed.measures.every((x) => before[x.key] === v.values[x.key])) {
          counts.unchanged++;
          continue;
        }
        for (const x of feed.measures) {
          await tx.execute(
            sql`INSERT INTO report_feed_rows (feed, period_key, node_id, measure, value, import_id, imported_by, imported_at)
                VALUES (${feed.name}, ${v.period.key}, ${v.nodeId}, ${x.key}, ${v.values[x.key]}, ${ctx.importId ?? null}, ${ctx.actor.id}, ${now.toISOString()}::timestamptz)
                ON CONFLICT (feed, period_key, node_id, measure) DO UPDATE SET value = EXCLUDED.value, import_id = EXCLUDED.import_id, imported_by = EXCLUDED.imported_by, imported_at = EXCLUDED.imported_at`,
          );
        }
        await appendAudit(tx, ctx.actor, {
          action: old.length ? 'report.feed.update' : 'report.feed.add',
          entity: 'report_feed',
          entityId: `${feed.name}/${v.period.key}/${v.nodeCode}`,
          nodeId: v.nodeId,
          ...(old.length ? { before } : {}),
          after: v.values,
        });
        counts[old.length ? 'updated' : 'inserted']++;
      }
      onRows?.(list.length);
      return counts;
    },
  };
}

/** Every typed feed's import, in the catalogue's order (registered in server/import-kinds.ts). */
export const typedFeedSpecs = (): ImportSpec<FeedRow>[] => TYPED_FEEDS.map(typedFeedSpec);
