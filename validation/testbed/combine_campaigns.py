#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A prediction against two or more campaigns of the same configurations (docs/validation.md,
"Verdicts on two campaigns").

  .venv/bin/python combine_campaigns.py A B [C ...] --out DIR --hybridsim BIN [--configs LIST]
      [compare.py's description options]

Each campaign folder is compared on its own (compare.compare_campaign, with the same options:
its own calibration on its own lowest level, its own predictions; it writes into the folder
as compare.py does — run it on copies). Then every cell (configuration, level, latency
statistic) is put together across the campaigns that measured it (combined_verdicts.py: the
unanimity rule, the spread between campaigns against their batch intervals, the campaigns the
tolerance would need) into DIR/combined.csv (one row per cell and campaign) and DIR/combined.md
(the goal statistics' table, combined_table.py, and the counts). A level that some campaigns
did not measure is a cell of fewer campaigns, marked, never dropped.

Refused, with the file named: a folder without campaign.json (or one that is not JSON, or
without `configs` or `utilizations`), fewer than two campaigns, one folder given twice,
campaigns of different configurations (pick common ones with --configs), different link
delays. Levels measured with different request counts are combined, and the table says so.
"""
import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import combined_table                       # noqa: E402
import combined_verdicts                    # noqa: E402
import compare                              # noqa: E402
import description as description_options  # noqa: E402

LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class CampaignError(Exception):
    """A campaign folder that cannot be combined; the message names the file."""


def read_campaign(folder):
    """campaign.json of `folder`, checked for what combining needs."""
    path = os.path.join(folder, "campaign.json")
    if not os.path.isfile(path):
        raise CampaignError(f"{path}: no such file: {folder} is not a campaign folder "
                            "(campaign.py --out writes campaign.json when a campaign ends; one still measuring has none)")
    with open(path) as f:
        try:
            campaign = json.load(f)
        except json.JSONDecodeError as error:
            raise CampaignError(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    for key in ("configs", "utilizations"):
        if not isinstance(campaign, dict) or not isinstance(campaign.get(key), list) or not campaign[key]:
            raise CampaignError(f"{path}: key `{key}`: missing or not a non-empty list (campaign.py writes it)")
    return campaign


def chosen_configs(folders, campaigns, configs_option):
    """The configurations to compare: `--configs` (each in every campaign) or the campaigns'
    common set, which must be the same in each."""
    paths = [os.path.join(folder, "campaign.json") for folder in folders]
    if configs_option:
        names = configs_option.split(",")
        for path, campaign in zip(paths, campaigns):
            absent = [n for n in names if n not in campaign["configs"]]
            if absent:
                raise CampaignError(f"{path}: key `configs`: has no {absent[0]!r} (--configs); "
                                    f"it holds {', '.join(campaign['configs'])}")
        return names
    first = campaigns[0]["configs"]
    for path, campaign in zip(paths[1:], campaigns[1:]):
        if set(campaign["configs"]) != set(first):
            raise CampaignError(f"{path}: key `configs`: {', '.join(campaign['configs'])}, but {paths[0]} has "
                                f"{', '.join(first)}: campaigns of different configurations "
                                "(--configs picks configurations every campaign holds)")
    return first


def check_same_links(folders, campaigns):
    """The link delays must be the same: another delay is another deployment."""
    first = campaigns[0].get("link_delay_ms") or {}
    for folder, campaign in zip(folders[1:], campaigns[1:]):
        if (campaign.get("link_delay_ms") or {}) != first:
            raise CampaignError(f"{os.path.join(folder, 'campaign.json')}: key `link_delay_ms`: "
                                f"{campaign.get('link_delay_ms') or {}}, but {os.path.join(folders[0], 'campaign.json')} "
                                f"has {first}: different links are different deployments")


def number(text):
    return None if text in ("", None) else float(text)


def read_comparison(folder):
    """compare.py's comparison.csv of `folder` as dicts (numbers as floats, None when empty),
    each with `requests`: the level's measured requests (summary.json's requests_sent)."""
    rows = []
    requests = {}
    with open(os.path.join(folder, "comparison.csv"), newline="") as f:
        for row in csv.DictReader(f):
            level = (row["config"], row["utilization"])
            if level not in requests:
                with open(os.path.join(folder, row["config"], f"u{row['utilization']}", "summary.json")) as s:
                    requests[level] = json.load(s)["measurement"].get("requests_sent")
            rows.append({"config": row["config"], "utilization": row["utilization"], "metric": row["metric"],
                         "measured": number(row["measured"]), "predicted": number(row["predicted"]),
                         "error_percent": number(row["error_percent"]),
                         "low": number(row["measured_ci95_low"]), "high": number(row["measured_ci95_high"]),
                         "verdict": row["verdict"] or None, "requests": requests[level]})
    return rows


def write_outputs(out, combined, labels, folders):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "combined.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["config", "utilization", "metric", "campaign", "folder", "requests", "measured", "predicted",
                         "error_percent", "measured_ci95_low", "measured_ci95_high", "verdict", "campaigns",
                         "combined_verdict", "spread", "spread_over_batch", "campaigns_for_tolerance"])
        for row in combined:
            for label in row["campaigns"]:
                own = row["per_campaign"][label]
                writer.writerow([row["config"], row["utilization"], row["metric"], label, folders[label], own["requests"],
                                 own["measured"], own["predicted"], own["error_percent"], own["low"], own["high"],
                                 own["verdict"], "+".join(row["campaigns"]), row["verdict"], row["spread"],
                                 row["spread_over_batch"], row["campaigns_for"]])
    text = ("Campaigns: " + ", ".join(f"{label} = {folders[label]}" for label in labels) + "\n\n"
            + combined_table.markdown(combined, labels) + "\n" + combined_table.counts_text(combined, labels))
    with open(os.path.join(out, "combined.md"), "w") as f:
        f.write(text)
    return text


def main(argv=None):
    """The command line (`argv`: its arguments, sys.argv's by default); returns the exit code."""
    parser = argparse.ArgumentParser(description="a prediction against two or more campaigns of the same configurations")
    parser.add_argument("campaigns", nargs="+", metavar="CAMPAIGN", help="campaign folders (campaign.py --out)")
    parser.add_argument("--out", required=True, help="folder for combined.csv and combined.md")
    parser.add_argument("--configs", help="comma-separated: only these configurations (each in every campaign)")
    compare.add_prediction_options(parser)
    description_options.add_options(parser)
    args = parser.parse_args(argv)
    requests = compare.checked_prediction_requests(parser, args)
    description = description_options.from_options(parser, args)
    folders = [os.path.abspath(folder) for folder in args.campaigns]
    if len(folders) < 2:
        parser.error("give two or more campaign folders (one campaign: compare.py)")
    if len(folders) > len(LABELS):
        parser.error(f"at most {len(LABELS)} campaigns")
    seen = {}
    for folder in folders:
        real = os.path.realpath(folder)
        if real in seen:
            parser.error(f"{folder}: given twice (also as {seen[real]}): one campaign is no second measurement")
        seen[real] = folder
    try:
        campaigns = [read_campaign(folder) for folder in folders]
        configs = chosen_configs(folders, campaigns, args.configs)
        check_same_links(folders, campaigns)
    except CampaignError as error:
        print(f"combine_campaigns: {error}", file=sys.stderr)
        return 2
    labels = LABELS[:len(folders)]
    tables = {}
    for label, folder in zip(labels, folders):
        print(f"campaign {label}: {folder}", flush=True)
        if compare.compare_campaign(folder, os.path.abspath(args.hybridsim), requests, description, configs) != 0:
            print(f"combine_campaigns: campaign {label} ({folder}) could not be compared (above)", file=sys.stderr)
            return 1
        tables[label] = read_comparison(folder)
    combined = combined_verdicts.combine(tables)
    text = write_outputs(os.path.abspath(args.out), combined, labels, dict(zip(labels, folders)))
    print(text, end="")
    print(f"written to {os.path.join(os.path.abspath(args.out), 'combined.csv')} and combined.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
