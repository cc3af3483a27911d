-- Full-text search over response comments (custom migration: drizzle-kit cannot express an FTS5
-- virtual table or triggers). An external-content FTS5 index over responses.comment, kept in step by
-- triggers, so every writer (the response writer, erasure, the demo seed) keeps it without knowing.
-- unicode61 with remove_diacritics folds "atención" and "atencion" together.
CREATE VIRTUAL TABLE `responses_fts` USING fts5(`comment`, content='responses', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
-- An erased comment (customer-privacy.server.ts sets it to null) must leave no words behind in the
-- index's pages either: secure-delete removes them at once instead of leaving them until a merge.
INSERT INTO `responses_fts` (`responses_fts`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
CREATE TRIGGER `responses_fts_insert` AFTER INSERT ON `responses` WHEN new.`comment` IS NOT NULL BEGIN INSERT INTO `responses_fts` (rowid, `comment`) VALUES (new.`id`, new.`comment`); END;
--> statement-breakpoint
CREATE TRIGGER `responses_fts_delete` AFTER DELETE ON `responses` WHEN old.`comment` IS NOT NULL BEGIN INSERT INTO `responses_fts` (`responses_fts`, rowid, `comment`) VALUES ('delete', old.`id`, old.`comment`); END;
--> statement-breakpoint
CREATE TRIGGER `responses_fts_update` AFTER UPDATE OF `comment` ON `responses` BEGIN INSERT INTO `responses_fts` (`responses_fts`, rowid, `comment`) SELECT 'delete', old.`id`, old.`comment` WHERE old.`comment` IS NOT NULL; INSERT INTO `responses_fts` (rowid, `comment`) SELECT new.`id`, new.`comment` WHERE new.`comment` IS NOT NULL; END;
--> statement-breakpoint
INSERT INTO `responses_fts` (rowid, `comment`) SELECT `id`, `comment` FROM `responses` WHERE `comment` IS NOT NULL;
