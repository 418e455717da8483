-- The same quantity compared across speakers: for each unit or counted noun ('percentage',
-- 'dollar', 'soldier') cited inside the claims of at least two speakers, each speaker's numbers
-- side by side.
WITH cited AS (
    SELECT q.normalized_unit AS unit, c.speaker_id, s.canonical_name AS speaker,
           q.low, q.high, q.value
    FROM quantities q
    JOIN claims c ON c.claim_id = q.claim_id
    JOIN speakers s ON s.speaker_id = c.speaker_id
    WHERE q.normalized_unit IS NOT NULL
),
shared AS (
    SELECT unit FROM cited GROUP BY unit HAVING count(DISTINCT speaker_id) >= 2
)
SELECT unit, speaker, count(*) AS n_mentions, min(low) AS lowest, max(high) AS highest,
       median((low + high) / 2) AS median_value,
       list_sort(list_distinct(list(value)))[1:5] AS some_values
FROM cited
JOIN shared USING (unit)
GROUP BY unit, speaker_id, speaker
ORDER BY unit, n_mentions DESC, speaker, speaker_id;
