"""Serve stage: preview a site with live reload.

`preview` rebuilds only the pages a change affects; `server` is the HTTP server and file watcher.
"""
