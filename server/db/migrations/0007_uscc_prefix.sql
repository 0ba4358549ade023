-- A partial 统一社会信用代码 is searched by prefix (companies.service.ts); the unique index cannot
-- serve LIKE 'prefix%' under a non-C collation (Debian's clusters default to C.UTF-8).
CREATE INDEX IF NOT EXISTS corporate_clients_uscc_prefix ON corporate_clients (uscc text_pattern_ops);
