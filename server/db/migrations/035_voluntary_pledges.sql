-- Voluntary pledges: commitments the State under review made itself, which UPR Info and UHRI list
-- beside the recommendations (issue #19: an import refused them as an "unknown position"). Kept in
-- the same table, so they are linked to actions, counted in coverage and exported like the
-- recommendations; `kind` tells them apart. Every existing row is a recommendation.
ALTER TABLE recommendations ADD COLUMN kind TEXT NOT NULL DEFAULT 'recommendation'
  CHECK (kind IN ('recommendation', 'pledge'));
