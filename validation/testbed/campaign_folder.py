# SPDX-License-Identifier: GPL-3.0-or-later
"""A measured campaign's folder as the diagnostics read it: its `campaign.json` (written by
campaign.py: the configurations and utilisations measured) and the configurations a
`--configs` option picks from it."""
import json
import os


def read_campaign(out):
    """The campaign.json of campaign folder `out` (a dict with `configs` and `utilizations`)."""
    with open(os.path.join(out, "campaign.json")) as f:
        return json.load(f)


def chosen_configs(parser, campaign, configs_option):
    """The configuration names a comma-separated `--configs` value picks (None: every one of the
    campaign's); an argparse error through `parser` for a name the campaign did not measure."""
    names = configs_option.split(",") if configs_option else campaign["configs"]
    unknown = [n for n in names if n not in campaign["configs"]]
    if unknown:
        parser.error(f"--configs: {unknown[0]!r} is not in this campaign ({', '.join(campaign['configs'])})")
    return names
