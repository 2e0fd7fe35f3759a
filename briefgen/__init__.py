"""briefgen: executive briefings from YAML case studies, built with MkDocs.

The stages, each its own module: `load` (strict YAML with locations),
`models` (the schema), `validate` (every problem at once), `pages` (what pages
the site has), `render` (Jinja to HTML), `plugin` (MkDocs) and `cli`. Import
from the stage you need: the package itself imports nothing, so `briefgen check`
loads the schema and the reader, not Jinja and the page planner too.
"""
