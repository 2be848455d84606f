"""Plain data and pure rules: the report model, exact numbers, calculations, scoring, audit."""
