"""Inputs to PDF: report contexts, SVG charts and the sociogram, templates, WeasyPrint with a
locked URL fetcher, and the render pool. Pure of the database: it takes plain, JSON-able inputs.
"""
