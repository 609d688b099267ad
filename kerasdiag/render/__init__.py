"""Every view, nothing computed: `console` (Rich consoles and theme), `terminal`, `markdown`,
`json`, `html` and `figures` (matplotlib, imported lazily).
"""
