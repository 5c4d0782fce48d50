"""Safety knowledge as data: one YAML file per drug, general advice and /ask topic words."""
