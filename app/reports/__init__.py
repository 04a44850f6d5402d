"""Report rendering: HTML templates to PDF with WeasyPrint, charts, cache."""
