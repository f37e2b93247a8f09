-- A new recommendation's full-text entry, tags and SDG targets are written by the service that
-- inserts it (server/services/recommendationIndex.ts), not by AFTER INSERT triggers. With the
-- triggers in place, every INSERT ran their programs, even for the rows of an import, which the
-- triggers skipped and the import indexes in bulk: a 40,000-row commit wrote its rows in 2.8–2.9 s
-- with them and in 1.3 s without (issue #19, docs/benchmarks.md). Every row stored so far was
-- indexed by the triggers, so nothing is to be written here. Changes and deletions are still
-- followed by triggers (migrations 002, 033, 034).
DROP TRIGGER recommendations_ai;
DROP TRIGGER recommendations_ai_sdgs;
