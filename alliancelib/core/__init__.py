"""The shared core every topic package builds on, knowing no topic: :mod:`~alliancelib.core.words`
(the number and phrase formatters) and :mod:`~alliancelib.core.prose` (the prose templates).

The other shared modules (``params``, ``uncertainty``, ``results``, ``findings``, ``analysis``,
``charts``, ``report``) still live at the top of ``alliancelib`` and move here later.
"""
