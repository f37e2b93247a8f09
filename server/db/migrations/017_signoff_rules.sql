-- Sign-off rules that fit a coalition: a chapter may have its own rule, and a rule may ask for a
-- coordinator's signature, so a sign-off keeps the signer's role at the moment they signed.

-- The signer's role in the plan when they signed. A later change of role does not change what the
-- signature was: a coordinators rule counts those who signed as coordinators.
ALTER TABLE section_signoffs ADD COLUMN signer_role TEXT CHECK (signer_role IN ('coordinator', 'drafter', 'commenter', 'observer'));

-- Sign-offs made before this migration: their role is in the audit entry written with them
-- (section.signed, same section and person, written in the same transaction just after the
-- sign-off, so the first such entry at or after its time). Left NULL when not found: such a
-- signature then never counts as a coordinator's.
UPDATE section_signoffs SET signer_role = (
  SELECT a.actor_role FROM audit_log a
   WHERE a.action = 'section.signed' AND a.target_id = section_signoffs.section_id
     AND a.actor_id = section_signoffs.user_id AND a.at >= section_signoffs.signed_at
   ORDER BY a.at, a.id LIMIT 1);

-- A chapter's own rule (JSON, SignoffRuleSchema in shared/api/agreement.ts): it applies to the
-- chapter's sections instead of plan_signoff_rules. No row: the plan's rule. The row stays while
-- the chapter is in the bin, so restoring the chapter brings its rule back.
CREATE TABLE chapter_signoff_rules (
  chapter_id TEXT PRIMARY KEY REFERENCES chapters (id) ON DELETE CASCADE,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id) ON DELETE SET NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX chapter_signoff_rules_plan ON chapter_signoff_rules (plan_id);
