"""Site stage: content tree → Site model → pages → output/.

`load` builds the Site model (indices and cross-links) from the tree; `pages` plans every page and its
view; `render` and `charts` turn views into HTML and SVG; `downloads` and `search` write the data files
and the Pagefind index; `build` runs them in order and swaps output/ in; `scaffold` makes a new site.
"""
