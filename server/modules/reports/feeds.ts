import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { TYPED_FEEDS } from './views-feeds.js';

/**
 * The external feeds (issue 16): figures the system does not own, imported per report and period.
 * A feed lists its measures (integer values: 分, counts or basis points). Only feeds with a typed
 * import are listed here; a report on any other feed waits on it, naming it.
 */
export interface FeedMeasure {
  key: string;
  zh: string;
  en: string;
  unit: 'fen' | 'count' | 'bp';
}

export interface FeedDefinition {
  name: string;
  zh: string;
  en: string;
  /** The import kind that brings it (server/import-kinds.ts). */
  importKind: string;
  measures: FeedMeasure[];
}

export const FOUR_BANK_MEASURES: FeedMeasure[] = [
  { key: 'own', zh: '本行余额', en: 'This bank', unit: 'fen' },
  { key: 'icbc', zh: '工商银行余额', en: 'ICBC', unit: 'fen' },
  { key: 'abc', zh: '农业银行余额', en: 'ABC', unit: 'fen' },
  { key: 'boc', zh: '中国银行余额', en: 'BOC', unit: 'fen' },
];

export const FEEDS: Record<string, FeedDefinition> = {
  'four-bank-deposits': {
    name: 'four-bank-deposits',
    zh: '地区同业四行个人存款（旬）',
    en: 'Regional four-bank personal deposits (ten-day)',
    importKind: 'four-bank-deposits',
    measures: FOUR_BANK_MEASURES,
  },
  // The other feeds, each with its typed template (views-feeds.ts, views-feeds.import.ts).
  ...Object.fromEntries(TYPED_FEEDS.map((f) => [f.name, { name: f.name, zh: f.zh, en: f.en, importKind: f.importKind, measures: f.measures }])),
};

export interface FeedLine {
  nodeId: number;
  nodeCode: string;
  nodeName: string;
  path: string;
  values: Record<string, number>;
}

export interface FeedData {
  view: 'feed';
  feed: string;
  periodKey: string;
  measures: FeedMeasure[];
  lines: FeedLine[];
}

/** Whether any row of the feed has arrived for the period. */
export async function feedArrived(db: DbOrTx, feed: string, periodKey: string): Promise<boolean> {
  const r = await rows<{ ok: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM report_feed_rows WHERE feed = ${feed} AND period_key = ${periodKey}) AS ok`);
  return Boolean(r[0]?.ok);
}

/** The feed's figures of a period, one line per org node (in the tree's order). */
export async function feedData(db: DbOrTx, feed: string, periodKey: string): Promise<FeedData> {
  const r = await rows<{ node_id: number; code: string; name: string; path: string; measure: string; value: string | number }>(
    db,
    sql`SELECT n.id AS node_id, n.code, n.name, n.path, f.measure, f.value
          FROM report_feed_rows f JOIN org_nodes n ON n.id = f.node_id
         WHERE f.feed = ${feed} AND f.period_key = ${periodKey}
         ORDER BY n.path, n.code, f.measure`,
  );
  const lines = new Map<number, FeedLine>();
  for (const x of r) {
    const id = Number(x.node_id);
    if (!lines.has(id)) lines.set(id, { nodeId: id, nodeCode: x.code, nodeName: x.name, path: x.path, values: {} });
    lines.get(id)!.values[x.measure] = Number(x.value);
  }
  return { view: 'feed', feed, periodKey, measures: FEEDS[feed]?.measures ?? [], lines: [...lines.values()] };
}
