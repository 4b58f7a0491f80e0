"""Content stage: Disclosure ⇄ content tree (DESIGN §5).

`ingest` runs read → recognize → check for each source and writes the result (`parallel` runs the read
and recognition of each file here, in local processes or on a Dask cluster); `tree` plans, writes and
loads department-year folders (data.json, index.md, tables/*.csv, the original file); `slugs` turns names
into folder names; `review` is the `budgetsite check` report over a whole tree.
"""
