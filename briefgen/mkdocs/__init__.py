"""The MkDocs adapter: the only package that imports MkDocs or Material."""
