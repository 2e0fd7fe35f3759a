"""The site, from checked content: addresses (routes), which pages (plan, documents), how
they relate (relations), their HTML (render, headings) and the open data (opendata).

Pure: nothing here imports MkDocs or Material, so any engine can drive it.
"""
