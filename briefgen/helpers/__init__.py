"""Work that runs beside a build, in processes of its own: the search index and the PDFs."""
