-- Contact channels in display order.
-- column: code text
-- column: name_fi text
-- column: name_sv text
-- column: name_en text
-- column: digital text
SELECT code, name_fi, name_sv, name_en, CASE WHEN digital THEN 'yes' ELSE 'no' END AS digital
FROM channel
ORDER BY sort_order
