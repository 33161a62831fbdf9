"""Rule sets (versioned data) and the checks that run over plain facts (DESIGN.md, convention 5)."""
