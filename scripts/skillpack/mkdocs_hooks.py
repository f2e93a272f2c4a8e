"""MkDocs hooks of the docs site (``hooks:`` in mkdocs.yml): the pack's pages are generated in memory.

``on_config`` loads and validates the pack in the folder above ``docs_dir`` (``references/``) and sets the nav;
``on_files`` replaces the raw rule files by the generated pages, their Markdown twins, ``SKILL.md``,
``llms.txt``, ``llms-full.txt``, ``.nojekyll`` and the install source for the skills CLI
(``.well-known/agent-skills/``). The work is done by :mod:`skillpack.site`.
"""

from skillpack.site import Hooks

_hooks = Hooks()
on_config = _hooks.on_config
on_files = _hooks.on_files
on_env = _hooks.on_env
on_page_markdown = _hooks.on_page_markdown
on_page_content = _hooks.on_page_content
