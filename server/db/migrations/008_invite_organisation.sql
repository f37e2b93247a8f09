-- The organisation an invite makes its holder a member of, chosen by the coordinator. Without one,
-- the invitee may only name a new organisation: nobody can join an existing organisation (and sign
-- in its name) on their own say-so.
ALTER TABLE invites ADD COLUMN organisation_id TEXT REFERENCES organisations (id);
