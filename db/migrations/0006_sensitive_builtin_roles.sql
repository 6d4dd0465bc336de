-- Groups set up before roles could be sensitive: their built-in expert by experience and carer
-- roles become sensitive, as they are for new groups. Nobody has chosen to show them yet.
UPDATE "roles" SET "sensitive" = true WHERE "built_in" AND "key" IN ('expert-by-experience', 'carer');
