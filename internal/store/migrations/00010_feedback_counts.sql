-- +goose Up
-- Feedback counted ahead, so that panels which count it, or take the
-- median time to the first response, do not scan a year of feedback: per
-- day and per calendar month (days of the city's time zone), unit and
-- channel, by kind, unresolved and class of the time to the first
-- response; and per theme (an item with several themes counts once in
-- each). A view reads month rows for the months it holds every day of
-- (every day with feedback: so the current month up to today too) and day
-- rows for the rest.
--
-- Every writer of feedback brings the counts of the days it touched up to
-- date in the same transaction: with refresh_feedback_counts (the demo
-- loader, imports that update rows), refresh_feedback_theme_counts (theme
-- reclassification), or by adding what it tallied (an import of only new
-- rows). feedback_count_errors()
-- lists where the counts and feedback disagree; each writer's tests ask it.
-- The counts are feedback's, whose foreign keys hold for them too.
CREATE TABLE feedback_count (
    grain      "char" NOT NULL CHECK (grain IN ('d', 'm')),
    period     date NOT NULL, -- the day, or the first day of the month
    unit_id    integer NOT NULL,
    channel_id smallint NOT NULL,
    feedback   integer NOT NULL,
    complaint  integer NOT NULL,
    question   integer NOT NULL,
    suggestion integer NOT NULL,
    praise     integer NOT NULL,
    unresolved integer NOT NULL, -- not resolved yet
    -- The feedback answered, by the time to its first response: element
    -- b counts the times from first_response_edges[b - 1] seconds (0 for
    -- the first) up to, not including, first_response_edges[b] (no bound
    -- for the last). The edges grow by a tenth: 10 s, 11 s, 12 s, …, 401
    -- days. Medians and other percentiles come from these (percentile_of):
    -- PostgreSQL has no aggregate that adds arrays, so each sum is spelled
    -- out in the functions below.
    first_response integer[] NOT NULL CHECK (cardinality(first_response) = 160),
    PRIMARY KEY (grain, period, unit_id, channel_id)
);

CREATE TABLE feedback_theme_count (
    grain      "char" NOT NULL CHECK (grain IN ('d', 'm')),
    period     date NOT NULL,
    unit_id    integer NOT NULL,
    channel_id smallint NOT NULL,
    theme      text NOT NULL,
    feedback   integer NOT NULL,
    complaint  integer NOT NULL,
    PRIMARY KEY (grain, period, unit_id, channel_id, theme)
);

GRANT SELECT ON feedback_count, feedback_theme_count TO luukku_reader;
ALTER TABLE feedback_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE feedback_theme_count ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON feedback_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));
CREATE POLICY in_scope ON feedback_theme_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- A view of the days p_from..p_to reads month rows from counted_from up to,
-- not including, counted_until, and day rows for the days outside them. A
-- month counts as a whole when the view holds every day of it that has
-- feedback: so the current month, up to today, is read from its month row.
-- (Under row security the days are those of the units in scope, which is
-- all that the view's rows can be of.)
-- +goose StatementBegin
CREATE FUNCTION counted_from(p_from date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_from <= coalesce((
            SELECT min(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.start + interval '1 month'), p_from)
        THEN m.start ELSE (m.start + interval '1 month')::date END
    FROM (SELECT date_trunc('month', p_from::timestamp)::date AS start) m
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION counted_until(p_to date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_to >= coalesce((
            SELECT max(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.start + interval '1 month'), p_to)
        THEN (m.start + interval '1 month')::date ELSE m.start END
    FROM (SELECT date_trunc('month', p_to::timestamp)::date AS start) m
$$;
-- +goose StatementEnd

-- The edges of the classes of the time to the first response, in seconds.
-- +goose StatementBegin
CREATE FUNCTION first_response_edges() RETURNS float8[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT '{10,11,12,13,15,16,18,19,21,24,26,29,31,35,38,42,46,51,56,61,67,74,81,90,98,108,119,131,144,159,174,192,211,232,255,281,309,340,374,411,453,498,548,602,663,729,802,882,970,1067,1174,1291,1420,1562,1719,1891,2080,2288,2516,2768,3045,3349,3684,4053,4458,4904,5394,5933,6527,7180,7897,8687,9556,10512,11563,12719,13991,15390,16929,18622,20484,22532,24786,27264,29991,32990,36289,39918,43909,48300,53130,58443,64288,70716,77788,85567,94123,103536,113889,125278,137806,151587,166745,183420,201762,221938,244132,268545,295400,324940,357434,393177,432495,475744,523319,575650,633215,696537,766191,842810,927091,1019800,1121780,1233958,1357353,1493089,1642398,1806637,1987301,2186031,2404634,2645098,2909608,3200568,3520625,3872688,4259957,4685952,5154548,5670002,6237003,6860703,7546773,8301450,9131595,10044755,11049230,12154154,13369569,14706526,16177178,17794896,19574386,21531824,23685007,26053508,28658858,31524744,34677219}'::float8[]
$$;
-- +goose StatementEnd

-- The class (1–160) of a time to the first response of seconds.
-- +goose StatementBegin
CREATE FUNCTION first_response_class(seconds float8) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT width_bucket(seconds, first_response_edges()) + 1
$$;
-- +goose StatementEnd

-- The p-th percentile (0–1), in seconds, of the times counted by class in
-- h, as percentile_cont would place it among the sorted times: within its
-- class the times are taken to be spread evenly on a logarithmic scale
-- (linearly in the first class, from 0). NULL when h counts nothing or is
-- NULL (a view without feedback); the last class, which has no upper edge,
-- gives its lower one.
-- +goose StatementBegin
CREATE FUNCTION percentile_of(h int8[], p float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    edges float8[] := first_response_edges();
    total int8 := 0;
    seen int8 := 0;
    pos float8;
    frac float8;
BEGIN
    FOR b IN 1 .. cardinality(h) LOOP
        total := total + h[b];
    END LOOP;
    IF total = 0 THEN
        RETURN NULL;
    END IF;
    pos := p * (total - 1);
    FOR b IN 1 .. cardinality(h) LOOP
        IF h[b] > 0 AND pos < seen + h[b] THEN
            frac := (pos - seen + 0.5) / h[b];
            IF b = 1 THEN
                RETURN edges[1] * frac;
            ELSIF b > cardinality(edges) THEN
                RETURN edges[b - 1];
            END IF;
            RETURN edges[b - 1] * power(edges[b] / edges[b - 1], frac);
        END IF;
        seen := seen + h[b];
    END LOOP;
    RETURN edges[cardinality(edges)];
END
$$;
-- +goose StatementEnd

-- The rows a view of the days p_from..p_to reads, as up to three ranges
-- [period_from, period_until) of a grain: the month rows of the months it
-- counts whole, and the day rows before and after them (the second range
-- of days only when there are whole months). Joined to a count table, each
-- range is one index scan.
-- +goose StatementBegin
CREATE FUNCTION counted_periods(p_from date, p_to date)
RETURNS TABLE (grain "char", period_from date, period_until date)
LANGUAGE sql STABLE ROWS 3 AS $$
    SELECT g.grain, g.lo, g.hi
    FROM (SELECT counted_from(p_from) AS m_from, counted_until(p_to) AS m_until) m
    CROSS JOIN LATERAL (VALUES ('m'::"char", m.m_from, m.m_until),
        ('d', p_from, least(m.m_from, p_to + 1)),
        ('d', greatest(m.m_until, m.m_from, p_from), p_to + 1)) AS g (grain, lo, hi)
    WHERE g.lo < g.hi
$$;
-- +goose StatementEnd

-- Counts the days p_from..p_to and the months they fall in again from
-- feedback. Days are those of the city's time zone, as the sessions'. Two
-- imports at once count one after the other: the later one, its statements
-- each with a new snapshot, then sees the earlier one's feedback.
-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_theme_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));
    DELETE FROM feedback_theme_count WHERE grain = 'd' AND period BETWEEN p_from AND p_to;
    INSERT INTO feedback_theme_count
    SELECT 'd', (f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, t.theme,
        count(*), count(*) FILTER (WHERE f.kind = 'complaint')
    FROM feedback f
    CROSS JOIN LATERAL unnest(f.themes) AS t (theme)
    WHERE f.received_at >= p_from::timestamp AT TIME ZONE 'Europe/Helsinki'
      AND f.received_at < (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
    GROUP BY 2, 3, 4, 5;

    -- The months from the day rows, which now hold every day of them.
    DELETE FROM feedback_theme_count
    WHERE grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_theme_count
    SELECT 'm', date_trunc('month', period::timestamp)::date, unit_id, channel_id, theme,
        sum(feedback), sum(complaint)
    FROM feedback_theme_count
    WHERE grain = 'd' AND period >= date_trunc('month', p_from::timestamp)::date
      AND period < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
    GROUP BY 2, 3, 4, 5;
$$;
-- +goose StatementEnd

-- The same for all the counts; theme reclassification, which changes
-- nothing else, needs only refresh_feedback_theme_counts.
-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));
    DELETE FROM feedback_count WHERE grain = 'd' AND period BETWEEN p_from AND p_to;
    INSERT INTO feedback_count
    SELECT 'd', (f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, count(*),
        count(*) FILTER (WHERE f.kind = 'complaint'), count(*) FILTER (WHERE f.kind = 'question'),
        count(*) FILTER (WHERE f.kind = 'suggestion'), count(*) FILTER (WHERE f.kind = 'praise'),
        count(*) FILTER (WHERE f.resolved_at IS NULL),
        ARRAY[count(*) FILTER (WHERE x.b = 1), count(*) FILTER (WHERE x.b = 2), count(*) FILTER (WHERE x.b = 3),
        count(*) FILTER (WHERE x.b = 4), count(*) FILTER (WHERE x.b = 5), count(*) FILTER (WHERE x.b = 6),
        count(*) FILTER (WHERE x.b = 7), count(*) FILTER (WHERE x.b = 8), count(*) FILTER (WHERE x.b = 9),
        count(*) FILTER (WHERE x.b = 10), count(*) FILTER (WHERE x.b = 11),
        count(*) FILTER (WHERE x.b = 12), count(*) FILTER (WHERE x.b = 13),
        count(*) FILTER (WHERE x.b = 14), count(*) FILTER (WHERE x.b = 15),
        count(*) FILTER (WHERE x.b = 16), count(*) FILTER (WHERE x.b = 17),
        count(*) FILTER (WHERE x.b = 18), count(*) FILTER (WHERE x.b = 19),
        count(*) FILTER (WHERE x.b = 20), count(*) FILTER (WHERE x.b = 21),
        count(*) FILTER (WHERE x.b = 22), count(*) FILTER (WHERE x.b = 23),
        count(*) FILTER (WHERE x.b = 24), count(*) FILTER (WHERE x.b = 25),
        count(*) FILTER (WHERE x.b = 26), count(*) FILTER (WHERE x.b = 27),
        count(*) FILTER (WHERE x.b = 28), count(*) FILTER (WHERE x.b = 29),
        count(*) FILTER (WHERE x.b = 30), count(*) FILTER (WHERE x.b = 31),
        count(*) FILTER (WHERE x.b = 32), count(*) FILTER (WHERE x.b = 33),
        count(*) FILTER (WHERE x.b = 34), count(*) FILTER (WHERE x.b = 35),
        count(*) FILTER (WHERE x.b = 36), count(*) FILTER (WHERE x.b = 37),
        count(*) FILTER (WHERE x.b = 38), count(*) FILTER (WHERE x.b = 39),
        count(*) FILTER (WHERE x.b = 40), count(*) FILTER (WHERE x.b = 41),
        count(*) FILTER (WHERE x.b = 42), count(*) FILTER (WHERE x.b = 43),
        count(*) FILTER (WHERE x.b = 44), count(*) FILTER (WHERE x.b = 45),
        count(*) FILTER (WHERE x.b = 46), count(*) FILTER (WHERE x.b = 47),
        count(*) FILTER (WHERE x.b = 48), count(*) FILTER (WHERE x.b = 49),
        count(*) FILTER (WHERE x.b = 50), count(*) FILTER (WHERE x.b = 51),
        count(*) FILTER (WHERE x.b = 52), count(*) FILTER (WHERE x.b = 53),
        count(*) FILTER (WHERE x.b = 54), count(*) FILTER (WHERE x.b = 55),
        count(*) FILTER (WHERE x.b = 56), count(*) FILTER (WHERE x.b = 57),
        count(*) FILTER (WHERE x.b = 58), count(*) FILTER (WHERE x.b = 59),
        count(*) FILTER (WHERE x.b = 60), count(*) FILTER (WHERE x.b = 61),
        count(*) FILTER (WHERE x.b = 62), count(*) FILTER (WHERE x.b = 63),
        count(*) FILTER (WHERE x.b = 64), count(*) FILTER (WHERE x.b = 65),
        count(*) FILTER (WHERE x.b = 66), count(*) FILTER (WHERE x.b = 67),
        count(*) FILTER (WHERE x.b = 68), count(*) FILTER (WHERE x.b = 69),
        count(*) FILTER (WHERE x.b = 70), count(*) FILTER (WHERE x.b = 71),
        count(*) FILTER (WHERE x.b = 72), count(*) FILTER (WHERE x.b = 73),
        count(*) FILTER (WHERE x.b = 74), count(*) FILTER (WHERE x.b = 75),
        count(*) FILTER (WHERE x.b = 76), count(*) FILTER (WHERE x.b = 77),
        count(*) FILTER (WHERE x.b = 78), count(*) FILTER (WHERE x.b = 79),
        count(*) FILTER (WHERE x.b = 80), count(*) FILTER (WHERE x.b = 81),
        count(*) FILTER (WHERE x.b = 82), count(*) FILTER (WHERE x.b = 83),
        count(*) FILTER (WHERE x.b = 84), count(*) FILTER (WHERE x.b = 85),
        count(*) FILTER (WHERE x.b = 86), count(*) FILTER (WHERE x.b = 87),
        count(*) FILTER (WHERE x.b = 88), count(*) FILTER (WHERE x.b = 89),
        count(*) FILTER (WHERE x.b = 90), count(*) FILTER (WHERE x.b = 91),
        count(*) FILTER (WHERE x.b = 92), count(*) FILTER (WHERE x.b = 93),
        count(*) FILTER (WHERE x.b = 94), count(*) FILTER (WHERE x.b = 95),
        count(*) FILTER (WHERE x.b = 96), count(*) FILTER (WHERE x.b = 97),
        count(*) FILTER (WHERE x.b = 98), count(*) FILTER (WHERE x.b = 99),
        count(*) FILTER (WHERE x.b = 100), count(*) FILTER (WHERE x.b = 101),
        count(*) FILTER (WHERE x.b = 102), count(*) FILTER (WHERE x.b = 103),
        count(*) FILTER (WHERE x.b = 104), count(*) FILTER (WHERE x.b = 105),
        count(*) FILTER (WHERE x.b = 106), count(*) FILTER (WHERE x.b = 107),
        count(*) FILTER (WHERE x.b = 108), count(*) FILTER (WHERE x.b = 109),
        count(*) FILTER (WHERE x.b = 110), count(*) FILTER (WHERE x.b = 111),
        count(*) FILTER (WHERE x.b = 112), count(*) FILTER (WHERE x.b = 113),
        count(*) FILTER (WHERE x.b = 114), count(*) FILTER (WHERE x.b = 115),
        count(*) FILTER (WHERE x.b = 116), count(*) FILTER (WHERE x.b = 117),
        count(*) FILTER (WHERE x.b = 118), count(*) FILTER (WHERE x.b = 119),
        count(*) FILTER (WHERE x.b = 120), count(*) FILTER (WHERE x.b = 121),
        count(*) FILTER (WHERE x.b = 122), count(*) FILTER (WHERE x.b = 123),
        count(*) FILTER (WHERE x.b = 124), count(*) FILTER (WHERE x.b = 125),
        count(*) FILTER (WHERE x.b = 126), count(*) FILTER (WHERE x.b = 127),
        count(*) FILTER (WHERE x.b = 128), count(*) FILTER (WHERE x.b = 129),
        count(*) FILTER (WHERE x.b = 130), count(*) FILTER (WHERE x.b = 131),
        count(*) FILTER (WHERE x.b = 132), count(*) FILTER (WHERE x.b = 133),
        count(*) FILTER (WHERE x.b = 134), count(*) FILTER (WHERE x.b = 135),
        count(*) FILTER (WHERE x.b = 136), count(*) FILTER (WHERE x.b = 137),
        count(*) FILTER (WHERE x.b = 138), count(*) FILTER (WHERE x.b = 139),
        count(*) FILTER (WHERE x.b = 140), count(*) FILTER (WHERE x.b = 141),
        count(*) FILTER (WHERE x.b = 142), count(*) FILTER (WHERE x.b = 143),
        count(*) FILTER (WHERE x.b = 144), count(*) FILTER (WHERE x.b = 145),
        count(*) FILTER (WHERE x.b = 146), count(*) FILTER (WHERE x.b = 147),
        count(*) FILTER (WHERE x.b = 148), count(*) FILTER (WHERE x.b = 149),
        count(*) FILTER (WHERE x.b = 150), count(*) FILTER (WHERE x.b = 151),
        count(*) FILTER (WHERE x.b = 152), count(*) FILTER (WHERE x.b = 153),
        count(*) FILTER (WHERE x.b = 154), count(*) FILTER (WHERE x.b = 155),
        count(*) FILTER (WHERE x.b = 156), count(*) FILTER (WHERE x.b = 157),
        count(*) FILTER (WHERE x.b = 158), count(*) FILTER (WHERE x.b = 159),
        count(*) FILTER (WHERE x.b = 160)]::integer[]
    FROM feedback f
    CROSS JOIN LATERAL (SELECT first_response_class(date_part('epoch', f.first_response_at - f.received_at)) AS b) x
    WHERE f.received_at >= p_from::timestamp AT TIME ZONE 'Europe/Helsinki'
      AND f.received_at < (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
    GROUP BY 2, 3, 4;

    -- The months from the day rows, which now hold every day of them.
    DELETE FROM feedback_count
    WHERE grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_count
    SELECT 'm', date_trunc('month', period::timestamp)::date, unit_id, channel_id,
        sum(feedback), sum(complaint), sum(question), sum(suggestion), sum(praise), sum(unresolved),
        ARRAY[sum(first_response[1]), sum(first_response[2]), sum(first_response[3]), sum(first_response[4]),
        sum(first_response[5]), sum(first_response[6]), sum(first_response[7]), sum(first_response[8]),
        sum(first_response[9]), sum(first_response[10]), sum(first_response[11]), sum(first_response[12]),
        sum(first_response[13]), sum(first_response[14]), sum(first_response[15]), sum(first_response[16]),
        sum(first_response[17]), sum(first_response[18]), sum(first_response[19]), sum(first_response[20]),
        sum(first_response[21]), sum(first_response[22]), sum(first_response[23]), sum(first_response[24]),
        sum(first_response[25]), sum(first_response[26]), sum(first_response[27]), sum(first_response[28]),
        sum(first_response[29]), sum(first_response[30]), sum(first_response[31]), sum(first_response[32]),
        sum(first_response[33]), sum(first_response[34]), sum(first_response[35]), sum(first_response[36]),
        sum(first_response[37]), sum(first_response[38]), sum(first_response[39]), sum(first_response[40]),
        sum(first_response[41]), sum(first_response[42]), sum(first_response[43]), sum(first_response[44]),
        sum(first_response[45]), sum(first_response[46]), sum(first_response[47]), sum(first_response[48]),
        sum(first_response[49]), sum(first_response[50]), sum(first_response[51]), sum(first_response[52]),
        sum(first_response[53]), sum(first_response[54]), sum(first_response[55]), sum(first_response[56]),
        sum(first_response[57]), sum(first_response[58]), sum(first_response[59]), sum(first_response[60]),
        sum(first_response[61]), sum(first_response[62]), sum(first_response[63]), sum(first_response[64]),
        sum(first_response[65]), sum(first_response[66]), sum(first_response[67]), sum(first_response[68]),
        sum(first_response[69]), sum(first_response[70]), sum(first_response[71]), sum(first_response[72]),
        sum(first_response[73]), sum(first_response[74]), sum(first_response[75]), sum(first_response[76]),
        sum(first_response[77]), sum(first_response[78]), sum(first_response[79]), sum(first_response[80]),
        sum(first_response[81]), sum(first_response[82]), sum(first_response[83]), sum(first_response[84]),
        sum(first_response[85]), sum(first_response[86]), sum(first_response[87]), sum(first_response[88]),
        sum(first_response[89]), sum(first_response[90]), sum(first_response[91]), sum(first_response[92]),
        sum(first_response[93]), sum(first_response[94]), sum(first_response[95]), sum(first_response[96]),
        sum(first_response[97]), sum(first_response[98]), sum(first_response[99]),
        sum(first_response[100]), sum(first_response[101]), sum(first_response[102]),
        sum(first_response[103]), sum(first_response[104]), sum(first_response[105]),
        sum(first_response[106]), sum(first_response[107]), sum(first_response[108]),
        sum(first_response[109]), sum(first_response[110]), sum(first_response[111]),
        sum(first_response[112]), sum(first_response[113]), sum(first_response[114]),
        sum(first_response[115]), sum(first_response[116]), sum(first_response[117]),
        sum(first_response[118]), sum(first_response[119]), sum(first_response[120]),
        sum(first_response[121]), sum(first_response[122]), sum(first_response[123]),
        sum(first_response[124]), sum(first_response[125]), sum(first_response[126]),
        sum(first_response[127]), sum(first_response[128]), sum(first_response[129]),
        sum(first_response[130]), sum(first_response[131]), sum(first_response[132]),
        sum(first_response[133]), sum(first_response[134]), sum(first_response[135]),
        sum(first_response[136]), sum(first_response[137]), sum(first_response[138]),
        sum(first_response[139]), sum(first_response[140]), sum(first_response[141]),
        sum(first_response[142]), sum(first_response[143]), sum(first_response[144]),
        sum(first_response[145]), sum(first_response[146]), sum(first_response[147]),
        sum(first_response[148]), sum(first_response[149]), sum(first_response[150]),
        sum(first_response[151]), sum(first_response[152]), sum(first_response[153]),
        sum(first_response[154]), sum(first_response[155]), sum(first_response[156]),
        sum(first_response[157]), sum(first_response[158]), sum(first_response[159]),
        sum(first_response[160])]::integer[]
    FROM feedback_count
    WHERE grain = 'd' AND period >= date_trunc('month', p_from::timestamp)::date
      AND period < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
    GROUP BY 2, 3, 4;

    SELECT refresh_feedback_theme_counts(p_from, p_to);
$$;
-- +goose StatementEnd

-- The counts a dashboard view selects, as feedback_in_view selects items:
-- the days from..to, the subtree of unit, the channels (all when empty).
-- Each row is a month's or a day's count; month is the calendar month it
-- falls in.
-- +goose StatementBegin
CREATE FUNCTION feedback_count_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    month date, channel text, channel_order smallint, digital boolean, unit_id integer, path ltree,
    feedback integer, complaint integer, question integer, suggestion integer, praise integer,
    unresolved integer, first_response integer[]
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, c.sort_order, c.digital, r.unit_id, u.path,
           r.feedback, r.complaint, r.question, r.suggestion, r.praise, r.unresolved, r.first_response
    FROM counted_periods(p_from, p_to) p
    JOIN feedback_count r ON r.grain = p.grain AND r.period >= p.period_from AND r.period < p.period_until
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- The view's counts summed by p_by: 'month', 'channel' (with the channel's
-- sort_order), 'part' (the part of p_unit one level down that the unit
-- belongs to, as child_group), or anything else for one row of them all
-- (none when the view has no feedback).
-- +goose StatementBegin
CREATE FUNCTION feedback_count_by(p_from date, p_to date, p_unit ltree, p_channels text[], p_by text)
RETURNS TABLE (
    key text, sort_order integer, feedback int8, complaint int8, digital int8, unresolved int8, first_response int8[]
)
LANGUAGE sql STABLE AS $$
    SELECT CASE p_by WHEN 'month' THEN f.month::text WHEN 'channel' THEN f.channel
                     WHEN 'part' THEN child_group(f.path, p_unit)::text ELSE '' END,
        min(f.channel_order)::integer, sum(f.feedback), sum(f.complaint),
        coalesce(sum(f.feedback) FILTER (WHERE f.digital), 0), sum(f.unresolved),
        ARRAY[sum(f.first_response[1]), sum(f.first_response[2]), sum(f.first_response[3]),
        sum(f.first_response[4]), sum(f.first_response[5]), sum(f.first_response[6]),
        sum(f.first_response[7]), sum(f.first_response[8]), sum(f.first_response[9]),
        sum(f.first_response[10]), sum(f.first_response[11]), sum(f.first_response[12]),
        sum(f.first_response[13]), sum(f.first_response[14]), sum(f.first_response[15]),
        sum(f.first_response[16]), sum(f.first_response[17]), sum(f.first_response[18]),
        sum(f.first_response[19]), sum(f.first_response[20]), sum(f.first_response[21]),
        sum(f.first_response[22]), sum(f.first_response[23]), sum(f.first_response[24]),
        sum(f.first_response[25]), sum(f.first_response[26]), sum(f.first_response[27]),
        sum(f.first_response[28]), sum(f.first_response[29]), sum(f.first_response[30]),
        sum(f.first_response[31]), sum(f.first_response[32]), sum(f.first_response[33]),
        sum(f.first_response[34]), sum(f.first_response[35]), sum(f.first_response[36]),
        sum(f.first_response[37]), sum(f.first_response[38]), sum(f.first_response[39]),
        sum(f.first_response[40]), sum(f.first_response[41]), sum(f.first_response[42]),
        sum(f.first_response[43]), sum(f.first_response[44]), sum(f.first_response[45]),
        sum(f.first_response[46]), sum(f.first_response[47]), sum(f.first_response[48]),
        sum(f.first_response[49]), sum(f.first_response[50]), sum(f.first_response[51]),
        sum(f.first_response[52]), sum(f.first_response[53]), sum(f.first_response[54]),
        sum(f.first_response[55]), sum(f.first_response[56]), sum(f.first_response[57]),
        sum(f.first_response[58]), sum(f.first_response[59]), sum(f.first_response[60]),
        sum(f.first_response[61]), sum(f.first_response[62]), sum(f.first_response[63]),
        sum(f.first_response[64]), sum(f.first_response[65]), sum(f.first_response[66]),
        sum(f.first_response[67]), sum(f.first_response[68]), sum(f.first_response[69]),
        sum(f.first_response[70]), sum(f.first_response[71]), sum(f.first_response[72]),
        sum(f.first_response[73]), sum(f.first_response[74]), sum(f.first_response[75]),
        sum(f.first_response[76]), sum(f.first_response[77]), sum(f.first_response[78]),
        sum(f.first_response[79]), sum(f.first_response[80]), sum(f.first_response[81]),
        sum(f.first_response[82]), sum(f.first_response[83]), sum(f.first_response[84]),
        sum(f.first_response[85]), sum(f.first_response[86]), sum(f.first_response[87]),
        sum(f.first_response[88]), sum(f.first_response[89]), sum(f.first_response[90]),
        sum(f.first_response[91]), sum(f.first_response[92]), sum(f.first_response[93]),
        sum(f.first_response[94]), sum(f.first_response[95]), sum(f.first_response[96]),
        sum(f.first_response[97]), sum(f.first_response[98]), sum(f.first_response[99]),
        sum(f.first_response[100]), sum(f.first_response[101]), sum(f.first_response[102]),
        sum(f.first_response[103]), sum(f.first_response[104]), sum(f.first_response[105]),
        sum(f.first_response[106]), sum(f.first_response[107]), sum(f.first_response[108]),
        sum(f.first_response[109]), sum(f.first_response[110]), sum(f.first_response[111]),
        sum(f.first_response[112]), sum(f.first_response[113]), sum(f.first_response[114]),
        sum(f.first_response[115]), sum(f.first_response[116]), sum(f.first_response[117]),
        sum(f.first_response[118]), sum(f.first_response[119]), sum(f.first_response[120]),
        sum(f.first_response[121]), sum(f.first_response[122]), sum(f.first_response[123]),
        sum(f.first_response[124]), sum(f.first_response[125]), sum(f.first_response[126]),
        sum(f.first_response[127]), sum(f.first_response[128]), sum(f.first_response[129]),
        sum(f.first_response[130]), sum(f.first_response[131]), sum(f.first_response[132]),
        sum(f.first_response[133]), sum(f.first_response[134]), sum(f.first_response[135]),
        sum(f.first_response[136]), sum(f.first_response[137]), sum(f.first_response[138]),
        sum(f.first_response[139]), sum(f.first_response[140]), sum(f.first_response[141]),
        sum(f.first_response[142]), sum(f.first_response[143]), sum(f.first_response[144]),
        sum(f.first_response[145]), sum(f.first_response[146]), sum(f.first_response[147]),
        sum(f.first_response[148]), sum(f.first_response[149]), sum(f.first_response[150]),
        sum(f.first_response[151]), sum(f.first_response[152]), sum(f.first_response[153]),
        sum(f.first_response[154]), sum(f.first_response[155]), sum(f.first_response[156]),
        sum(f.first_response[157]), sum(f.first_response[158]), sum(f.first_response[159]),
        sum(f.first_response[160])]
    FROM feedback_count_in_view(p_from, p_to, p_unit, p_channels) f
    GROUP BY 1
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION feedback_theme_count_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    month date, channel text, unit_id integer, theme text, feedback integer, complaint integer
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, r.unit_id, r.theme, r.feedback, r.complaint
    FROM counted_periods(p_from, p_to) p
    JOIN feedback_theme_count r ON r.grain = p.grain AND r.period >= p.period_from AND r.period < p.period_until
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- Where the counts differ from feedback itself: each stored or actual
-- count (theme '' for all feedback) that the other side lacks or has
-- otherwise. Empty when every writer refreshed what it touched; the tests
-- of each writer ask.
-- +goose StatementBegin
CREATE FUNCTION feedback_count_errors()
RETURNS TABLE (grain "char", period date, unit_id integer, channel_id smallint, theme text, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT (f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS day, f.unit_id, f.channel_id, f.kind, t.theme,
            f.resolved_at IS NULL AS unresolved,
            first_response_class(date_part('epoch', f.first_response_at - f.received_at)) AS b
        FROM feedback f
        CROSS JOIN LATERAL unnest(f.themes || ''::text) AS t (theme)
    ), counted AS (
        -- For a theme only the total and the complaints are kept.
        SELECT g.grain, g.period, a.unit_id, a.channel_id, a.theme,
            CASE WHEN a.theme = '' THEN ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint'),
                    count(*) FILTER (WHERE a.kind = 'question'), count(*) FILTER (WHERE a.kind = 'suggestion'),
                    count(*) FILTER (WHERE a.kind = 'praise'), count(*) FILTER (WHERE a.unresolved)]
                || ARRAY[count(*) FILTER (WHERE a.b = 1), count(*) FILTER (WHERE a.b = 2), count(*) FILTER (WHERE a.b = 3),
                count(*) FILTER (WHERE a.b = 4), count(*) FILTER (WHERE a.b = 5), count(*) FILTER (WHERE a.b = 6),
                count(*) FILTER (WHERE a.b = 7), count(*) FILTER (WHERE a.b = 8), count(*) FILTER (WHERE a.b = 9),
                count(*) FILTER (WHERE a.b = 10), count(*) FILTER (WHERE a.b = 11),
                count(*) FILTER (WHERE a.b = 12), count(*) FILTER (WHERE a.b = 13),
                count(*) FILTER (WHERE a.b = 14), count(*) FILTER (WHERE a.b = 15),
                count(*) FILTER (WHERE a.b = 16), count(*) FILTER (WHERE a.b = 17),
                count(*) FILTER (WHERE a.b = 18), count(*) FILTER (WHERE a.b = 19),
                count(*) FILTER (WHERE a.b = 20), count(*) FILTER (WHERE a.b = 21),
                count(*) FILTER (WHERE a.b = 22), count(*) FILTER (WHERE a.b = 23),
                count(*) FILTER (WHERE a.b = 24), count(*) FILTER (WHERE a.b = 25),
                count(*) FILTER (WHERE a.b = 26), count(*) FILTER (WHERE a.b = 27),
                count(*) FILTER (WHERE a.b = 28), count(*) FILTER (WHERE a.b = 29),
                count(*) FILTER (WHERE a.b = 30), count(*) FILTER (WHERE a.b = 31),
                count(*) FILTER (WHERE a.b = 32), count(*) FILTER (WHERE a.b = 33),
                count(*) FILTER (WHERE a.b = 34), count(*) FILTER (WHERE a.b = 35),
                count(*) FILTER (WHERE a.b = 36), count(*) FILTER (WHERE a.b = 37),
                count(*) FILTER (WHERE a.b = 38), count(*) FILTER (WHERE a.b = 39),
                count(*) FILTER (WHERE a.b = 40), count(*) FILTER (WHERE a.b = 41),
                count(*) FILTER (WHERE a.b = 42), count(*) FILTER (WHERE a.b = 43),
                count(*) FILTER (WHERE a.b = 44), count(*) FILTER (WHERE a.b = 45),
                count(*) FILTER (WHERE a.b = 46), count(*) FILTER (WHERE a.b = 47),
                count(*) FILTER (WHERE a.b = 48), count(*) FILTER (WHERE a.b = 49),
                count(*) FILTER (WHERE a.b = 50), count(*) FILTER (WHERE a.b = 51),
                count(*) FILTER (WHERE a.b = 52), count(*) FILTER (WHERE a.b = 53),
                count(*) FILTER (WHERE a.b = 54), count(*) FILTER (WHERE a.b = 55),
                count(*) FILTER (WHERE a.b = 56), count(*) FILTER (WHERE a.b = 57),
                count(*) FILTER (WHERE a.b = 58), count(*) FILTER (WHERE a.b = 59),
                count(*) FILTER (WHERE a.b = 60), count(*) FILTER (WHERE a.b = 61),
                count(*) FILTER (WHERE a.b = 62), count(*) FILTER (WHERE a.b = 63),
                count(*) FILTER (WHERE a.b = 64), count(*) FILTER (WHERE a.b = 65),
                count(*) FILTER (WHERE a.b = 66), count(*) FILTER (WHERE a.b = 67),
                count(*) FILTER (WHERE a.b = 68), count(*) FILTER (WHERE a.b = 69),
                count(*) FILTER (WHERE a.b = 70), count(*) FILTER (WHERE a.b = 71),
                count(*) FILTER (WHERE a.b = 72), count(*) FILTER (WHERE a.b = 73),
                count(*) FILTER (WHERE a.b = 74), count(*) FILTER (WHERE a.b = 75),
                count(*) FILTER (WHERE a.b = 76), count(*) FILTER (WHERE a.b = 77),
                count(*) FILTER (WHERE a.b = 78), count(*) FILTER (WHERE a.b = 79),
                count(*) FILTER (WHERE a.b = 80), count(*) FILTER (WHERE a.b = 81),
                count(*) FILTER (WHERE a.b = 82), count(*) FILTER (WHERE a.b = 83),
                count(*) FILTER (WHERE a.b = 84), count(*) FILTER (WHERE a.b = 85),
                count(*) FILTER (WHERE a.b = 86), count(*) FILTER (WHERE a.b = 87),
                count(*) FILTER (WHERE a.b = 88), count(*) FILTER (WHERE a.b = 89),
                count(*) FILTER (WHERE a.b = 90), count(*) FILTER (WHERE a.b = 91),
                count(*) FILTER (WHERE a.b = 92), count(*) FILTER (WHERE a.b = 93),
                count(*) FILTER (WHERE a.b = 94), count(*) FILTER (WHERE a.b = 95),
                count(*) FILTER (WHERE a.b = 96), count(*) FILTER (WHERE a.b = 97),
                count(*) FILTER (WHERE a.b = 98), count(*) FILTER (WHERE a.b = 99),
                count(*) FILTER (WHERE a.b = 100), count(*) FILTER (WHERE a.b = 101),
                count(*) FILTER (WHERE a.b = 102), count(*) FILTER (WHERE a.b = 103),
                count(*) FILTER (WHERE a.b = 104), count(*) FILTER (WHERE a.b = 105),
                count(*) FILTER (WHERE a.b = 106), count(*) FILTER (WHERE a.b = 107),
                count(*) FILTER (WHERE a.b = 108), count(*) FILTER (WHERE a.b = 109),
                count(*) FILTER (WHERE a.b = 110), count(*) FILTER (WHERE a.b = 111),
                count(*) FILTER (WHERE a.b = 112), count(*) FILTER (WHERE a.b = 113),
                count(*) FILTER (WHERE a.b = 114), count(*) FILTER (WHERE a.b = 115),
                count(*) FILTER (WHERE a.b = 116), count(*) FILTER (WHERE a.b = 117),
                count(*) FILTER (WHERE a.b = 118), count(*) FILTER (WHERE a.b = 119),
                count(*) FILTER (WHERE a.b = 120), count(*) FILTER (WHERE a.b = 121),
                count(*) FILTER (WHERE a.b = 122), count(*) FILTER (WHERE a.b = 123),
                count(*) FILTER (WHERE a.b = 124), count(*) FILTER (WHERE a.b = 125),
                count(*) FILTER (WHERE a.b = 126), count(*) FILTER (WHERE a.b = 127),
                count(*) FILTER (WHERE a.b = 128), count(*) FILTER (WHERE a.b = 129),
                count(*) FILTER (WHERE a.b = 130), count(*) FILTER (WHERE a.b = 131),
                count(*) FILTER (WHERE a.b = 132), count(*) FILTER (WHERE a.b = 133),
                count(*) FILTER (WHERE a.b = 134), count(*) FILTER (WHERE a.b = 135),
                count(*) FILTER (WHERE a.b = 136), count(*) FILTER (WHERE a.b = 137),
                count(*) FILTER (WHERE a.b = 138), count(*) FILTER (WHERE a.b = 139),
                count(*) FILTER (WHERE a.b = 140), count(*) FILTER (WHERE a.b = 141),
                count(*) FILTER (WHERE a.b = 142), count(*) FILTER (WHERE a.b = 143),
                count(*) FILTER (WHERE a.b = 144), count(*) FILTER (WHERE a.b = 145),
                count(*) FILTER (WHERE a.b = 146), count(*) FILTER (WHERE a.b = 147),
                count(*) FILTER (WHERE a.b = 148), count(*) FILTER (WHERE a.b = 149),
                count(*) FILTER (WHERE a.b = 150), count(*) FILTER (WHERE a.b = 151),
                count(*) FILTER (WHERE a.b = 152), count(*) FILTER (WHERE a.b = 153),
                count(*) FILTER (WHERE a.b = 154), count(*) FILTER (WHERE a.b = 155),
                count(*) FILTER (WHERE a.b = 156), count(*) FILTER (WHERE a.b = 157),
                count(*) FILTER (WHERE a.b = 158), count(*) FILTER (WHERE a.b = 159),
                count(*) FILTER (WHERE a.b = 160)]
                ELSE ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint')] END AS n
        FROM actual a
        CROSS JOIN LATERAL (VALUES ('d'::"char", a.day), ('m', date_trunc('month', a.day::timestamp)::date)) AS g (grain, period)
        GROUP BY 1, 2, 3, 4, 5
    ), stored AS (
        SELECT grain, period, unit_id, channel_id, '' AS theme,
            (ARRAY[feedback, complaint, question, suggestion, praise, unresolved] || first_response)::int8[] AS n
        FROM feedback_count
        WHERE feedback <> 0 OR complaint <> 0 OR question <> 0 OR suggestion <> 0 OR praise <> 0 OR unresolved <> 0
        UNION ALL
        SELECT grain, period, unit_id, channel_id, theme, ARRAY[feedback, complaint]::int8[]
        FROM feedback_theme_count
        WHERE feedback <> 0 OR complaint <> 0
    )
    SELECT grain, period, unit_id, channel_id, theme, s.n, c.n
    FROM stored s
    FULL JOIN counted c USING (grain, period, unit_id, channel_id, theme)
    WHERE s.n IS DISTINCT FROM c.n
$$;
-- +goose StatementEnd

-- What is already stored.
SELECT refresh_feedback_counts(
    coalesce((SELECT min(received_at AT TIME ZONE 'Europe/Helsinki')::date FROM feedback), current_date),
    coalesce((SELECT max(received_at AT TIME ZONE 'Europe/Helsinki')::date FROM feedback), current_date));
ANALYZE feedback_count, feedback_theme_count;

-- +goose Down
DROP FUNCTION feedback_count_errors(), feedback_count_by(date, date, ltree, text[], text),
    feedback_theme_count_in_view(date, date, ltree, text[]), feedback_count_in_view(date, date, ltree, text[]),
    percentile_of(int8[], float8), first_response_class(float8), first_response_edges(),
    refresh_feedback_counts(date, date), refresh_feedback_theme_counts(date, date),
    counted_periods(date, date), counted_until(date), counted_from(date);
DROP TABLE feedback_theme_count, feedback_count;
