"""Use cases: one async function each, collaborators passed in as ports."""
