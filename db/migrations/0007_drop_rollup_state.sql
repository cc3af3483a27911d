-- Rollups now commit with their responses (ADR 014). Whatever the old fold had left pending was
-- added by db/legacy-fold.ts before this migration ran (db/client.ts, openDatabase).
DROP TABLE `rollup_state`;