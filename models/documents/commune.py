"""The commune a document speaks for: the stored profile over the configuration.

`thidua init` copies `[commune]` into the profile once; from then on the Office keeps it
(Ctrl+E on the home screen: a new chairman, a merged commune's name), and a document must
print what that form shows, not a configuration file nobody edits again. A store without
a profile (made before `thidua init` wrote one) prints the configuration's."""
from __future__ import annotations

from dataclasses import replace

from models.registry import commune


def applied(cfg):
    """`cfg` with its `[commune]` name, place name, province and chairman the profile's."""
    p = commune.profile()
    if p is None:
        return cfg
    return replace(cfg, commune=replace(cfg.commune, name=p.name, place_name=p.place_name,
                                        province=p.province or cfg.commune.province,
                                        chairman=p.chairman))
