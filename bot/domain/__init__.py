"""Pure domain logic: values, schedule maths, parsing and rules (stdlib only)."""
