-- Claims reported with a distancing cue ("claimed", "alleged", "insisted"…): the writer keeps a
-- distance from what the source says. The stance comes from the cue lexicon.
SELECT d.outlet, d.published_at, c.speaker_name, c.cue_text, c.cue_lemma, c.kind, c.content,
       c.doc_id, c.start, c."end"
FROM claims c
JOIN documents d USING (doc_id)
WHERE c.stance = 'distancing'
ORDER BY d.published_at NULLS LAST, c.doc_id, c.start, c.claim_id;
