"""Pure per-paper stages: read -> repair glyphs -> sections and tables -> entities."""
