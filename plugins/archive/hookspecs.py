"""The hookspec the archive plugin publishes (via ``wuye_add_hookspecs``) for the plugins whose
records belong in an owner's archive (renovation, keys, move_in, ...)."""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("wuye")


@hookspec
def wuye_archive_sections(session, unit, party):
    """Return the parts (sections) of the owner archive of ``party`` at ``unit`` that the plugin
    keeps: a list of dicts with the keys

    * ``key``: unique name of the part, e.g. ``"renovation"`` (access is logged under it);
    * ``title`` / ``title_zh``: the part's heading in both languages;
    * ``level``: ``"normal"`` (needs ``archive.view``) or ``"confidential"`` (also needs an approved
      access request; use it for ID numbers and contracts);
    * ``columns``: list of ``(en, zh)`` column headings; ``rows``: list of lists of plain values
      (str, int, date) in that order;
    * ``links`` (optional): list of ``{"text", "view", "record_id"}`` opening the plugin's records;
    * ``provides`` (optional): document types of the completeness check this part proves, e.g.
      ``["key_register"]`` when the unit's keys were registered.

    Called when an archive is opened and when its completeness is checked; results of all plugins
    are concatenated and shown after the archive's own parts. Show the records as they are (the
    archive plugin checks permission, approval and estate, and logs the opening). Implement it with
    ``@hookimpl(optionalhook=True)`` and list ``archive`` in ``uses``.
    """
