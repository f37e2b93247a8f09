-- Every change on the record, and proposals that keep their trail.
--
-- The history of an item is the audit log itself (no second log): each change of an action,
-- indicator, link, recommendation, section, chapter, organisation or membership writes one entry
-- whose details hold the item's fields before and after. These indexes let "the history of this
-- item" be read without scanning the plan's whole log.
CREATE INDEX audit_log_target ON audit_log (plan_id, target_type, target_id, id);

-- Which organisation proposed an action, like indicators.proposed_by_organisation_id: removing or
-- changing another organisation's proposal needs a reason and tells that organisation.
ALTER TABLE actions ADD COLUMN proposed_by_organisation_id TEXT REFERENCES organisations (id);

-- Existing actions: proposed by the organisation of the person who created them (a person belongs
-- to one organisation; created_by always names a person).
UPDATE actions SET proposed_by_organisation_id = (SELECT u.organisation_id FROM users u WHERE u.id = actions.created_by)
 WHERE proposed_by_organisation_id IS NULL;
