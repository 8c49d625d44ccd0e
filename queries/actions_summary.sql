-- The development actions of the selected unit's subtree by stage.
-- param: unit unit
-- column: decided int
-- column: underway int
-- column: done int
SELECT
    count(*)::int8 AS decided,
    count(*) FILTER (WHERE a.started_on IS NOT NULL AND a.done_on IS NULL)::int8 AS underway,
    count(*) FILTER (WHERE a.done_on IS NOT NULL)::int8 AS done
FROM development_action a
JOIN org_unit u ON u.id = a.unit_id
WHERE u.path <@ @unit::ltree
