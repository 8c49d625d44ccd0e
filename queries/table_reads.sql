-- What the server needs to tell which tables a query reads: each table,
-- with the conditions of its row-level security policies, and each
-- function, with its body (overloads together).
-- column: kind text
-- column: name text
-- column: body text
SELECT 'table' AS kind, c.relname::text AS name,
    coalesce(string_agg(pg_get_expr(p.polqual, p.polrelid), ' '), '') AS body
FROM pg_class c
LEFT JOIN pg_policy p ON p.polrelid = c.oid
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
GROUP BY c.relname
UNION ALL
SELECT 'function', p.proname::text, string_agg(p.prosrc, ' ')
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace
GROUP BY p.proname
