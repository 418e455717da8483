-- Top speakers per outlet: the five most-cited speakers of each outlet, with how many of the
-- outlet's documents cite them. Runs on the warehouse (`claimbank sql`) and on a release's
-- catalog.duckdb alike.
WITH cited AS (
    SELECT d.outlet, s.speaker_id, s.canonical_name, s.speaker_type,
           count(*) AS n_claims, count(DISTINCT c.doc_id) AS n_documents
    FROM claims c
    JOIN documents d USING (doc_id)
    JOIN speakers s USING (speaker_id)
    WHERE d.outlet IS NOT NULL
    GROUP BY d.outlet, s.speaker_id, s.canonical_name, s.speaker_type
)
SELECT outlet, canonical_name, speaker_type, n_claims, n_documents
FROM cited
QUALIFY row_number() OVER (
    PARTITION BY outlet ORDER BY n_claims DESC, canonical_name, speaker_id
) <= 5
ORDER BY outlet, n_claims DESC, canonical_name, speaker_id;
