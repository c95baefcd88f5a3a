"""One package per notebook: its model, the inputs it reads, its analysis, its charts and its prose
template (``text.md.j2``). See ``docs/architecture.md``."""
