-- Contact channels in display order.
-- column: code text
-- column: name_fi text
-- column: name_sv text
-- column: name_en text
SELECT code, name_fi, name_sv, name_en
FROM channel
ORDER BY sort_order
