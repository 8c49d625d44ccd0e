-- The feedback behind a number: the items of the view, optionally of one
-- theme and one kind, newest or oldest first, @limit of them from @offset
-- (a page, or the whole list for export), with the total count for paging.
-- The text has been scrubbed of personal data on import.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- param: theme text
-- param: kind enum(|praise|complaint|suggestion|question)
-- param: sort enum(newest|oldest)
-- param: offset int
-- param: limit int
-- column: id int
-- column: received timestamp
-- column: channel channel
-- column: unit unit
-- column: kind text
-- column: status text
-- column: themes text
-- column: first_response minutes
-- column: body text
-- column: language text
-- column: total int
SELECT
    f.id,
    f.received_at AS received,
    f.channel,
    u.code AS unit,
    f.kind,
    f.status,
    array_to_string(f.themes, ',') AS themes,
    (date_part('epoch', f.first_response_at - f.received_at) / 60)::float8 AS first_response,
    f.body,
    f.language,
    count(*) OVER ()::int8 AS total
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN org_unit u ON u.id = f.unit_id
WHERE (@theme::text = '' OR @theme::text = ANY (f.themes))
  AND (@kind::text = '' OR f.kind = @kind::text)
ORDER BY CASE WHEN @sort::text = 'oldest' THEN f.received_at END ASC,
         f.received_at DESC, f.id
LIMIT @limit::int8 OFFSET @offset::int8
