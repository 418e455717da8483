-- One speaker's claims over time, by publication month. Choose the speaker first (matched
-- against speakers.canonical_name, case-insensitive):
--   SET VARIABLE speaker = 'Jerome Powell';
SELECT CAST(date_trunc('month', d.published_at) AS DATE) AS month,
       count(*) AS n_claims,
       count(DISTINCT c.doc_id) AS n_documents,
       count(*) FILTER (WHERE c.kind = 'direct') AS n_direct_quotes,
       count(*) FILTER (WHERE c.stance = 'distancing') AS n_distancing,
       list(c.content ORDER BY d.published_at, c.doc_id, c.start)[1:3] AS first_claims
FROM claims c
JOIN speakers s ON s.speaker_id = c.speaker_id
JOIN documents d ON d.doc_id = c.doc_id
WHERE lower(s.canonical_name) = lower(getvariable('speaker'))
GROUP BY ALL
ORDER BY month NULLS LAST;
