"""Reports: the annual summary (Markdown, Word, JSON) and the figure check."""
