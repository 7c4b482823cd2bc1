#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of verdicts on several campaigns (combined_verdicts.py, combined_table.py,
combine_campaigns.py; smoke.sh runs them): the unanimity rule, the spread against the batch
half-widths and the campaigns for the tolerance worked by hand, cells one campaign measured,
the refusals of bad campaign folders, and compare.py's options shared through description.py.
  .venv/bin/python -m unittest test_combine_campaigns
"""
import argparse
import contextlib
import io
import json
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import combine_campaigns                                            # noqa: E402
import combined_table                                               # noqa: E402
import description                                                  # noqa: E402
from combined_verdicts import (campaigns_for, combine, combined_verdict, goal_counts,  # noqa: E402
                               spread, t_975)


def row(config, level, metric, measured, predicted, verdict, low=None, high=None, requests=3000):
    error = None if predicted is None else round((predicted - measured) / measured * 100, 1)
    return {"config": config, "utilization": level, "metric": metric, "measured": measured, "predicted": predicted,
            "error_percent": error, "low": low, "high": high, "verdict": verdict, "requests": requests}


class RuleTests(unittest.TestCase):
    def test_unanimity(self):
        self.assertEqual(combined_verdict(["met", "met"]), "met")
        self.assertEqual(combined_verdict(["missed", "missed", "missed"]), "missed")
        self.assertEqual(combined_verdict(["met", "undecided"]), "undecided")
        self.assertEqual(combined_verdict(["met", "missed"]), "undecided")
        self.assertEqual(combined_verdict(["missed", "undecided"]), "undecided")
        self.assertEqual(combined_verdict(["undecided"]), "undecided")
        self.assertEqual(combined_verdict(["met", None]), "unstable")
        with self.assertRaises(ValueError):
            combined_verdict([])

    def test_spread_against_the_batch_half_widths_by_hand(self):
        # 10 ms [9, 11] (h = 1) and 12 ms [11.5, 12.5] (h = 0.5): spread 2, ratio 2 / sqrt(1.25).
        a = {"measured": 10.0, "low": 9.0, "high": 11.0}
        b = {"measured": 12.0, "low": 11.5, "high": 12.5}
        difference, ratio = spread([a, b])
        self.assertAlmostEqual(difference, 2.0)
        self.assertAlmostEqual(ratio, 2 / math.sqrt(1.25))
        # The middle one of three takes no part: max 12 (h 0.5) and min 10 (h 1).
        middle = {"measured": 11.0, "low": 5.0, "high": 17.0}
        self.assertAlmostEqual(spread([a, middle, b])[1], 2 / math.sqrt(1.25))
        self.assertEqual(spread([a]), (None, None))
        self.assertEqual(spread([a, {"measured": 12.0, "low": None, "high": None}]), (2.0, None))

    def test_campaigns_for_the_tolerance_by_hand(self):
        # 10 and 12: mean 11, sd sqrt(2); ±5 % is 0.55. t(0.975, k-1) sqrt(2) / sqrt(k) <= 0.55
        # first at k = 28: t(27) = 2.051831 -> 0.5483; k = 27: t(26) = 2.055529 -> 0.5594.
        self.assertLessEqual(2.051831 * math.sqrt(2) / math.sqrt(28), 0.55)
        self.assertGreater(2.055529 * math.sqrt(2) / math.sqrt(27), 0.55)
        self.assertEqual(campaigns_for([10.0, 12.0], 0.05), 28)
        # Equal measurements need no more than were measured; one value gives no estimate.
        self.assertEqual(campaigns_for([10.0, 10.0, 10.0], 0.05), 3)
        self.assertIsNone(campaigns_for([10.0], 0.05))
        # Far apart: more than the cap.
        self.assertIsNone(campaigns_for([1.0, 100.0], 0.05))

    def test_t_quantiles_match_scipy(self):
        from scipy import stats
        for df in range(1, 301):
            self.assertAlmostEqual(t_975(df), stats.t.ppf(0.975, df), delta=1e-5, msg=f"df {df}")
        with self.assertRaises(ValueError):
            t_975(0)


class CombineTests(unittest.TestCase):
    def tables(self):
        a = [row("grpc", "0.30", "latency_s.p50", 0.0044, 0.0046, "met", 0.0042, 0.0046),
             row("grpc", "0.30", "latency_s.p99", 0.0129, 0.0118, "missed", 0.0125, 0.0133),
             row("grpc", "0.85", "latency_s.p50", 0.01334, 0.01323, "met", 0.01245, 0.01424, requests=80000),
             row("grpc", "0.85", "latency_s.p99", 0.0629, 0.0732, "undecided", 0.0586, 0.0673, requests=80000),
             row("grpc", "0.30", "throughput_rps", 80.0, 80.1, None)]
        b = [row("grpc", "0.30", "latency_s.p50", 0.0045, 0.0049, "undecided", 0.0043, 0.0047),
             row("grpc", "0.30", "latency_s.p99", 0.0131, 0.0112, "missed", 0.0127, 0.0135)]
        return {"A": a, "B": b}

    def test_cells_of_both_and_of_one_campaign(self):
        combined = combine(self.tables())
        cells = {(r["config"], r["utilization"], r["metric"]): r for r in combined}
        self.assertNotIn(("grpc", "0.30", "throughput_rps"), cells)   # latency statistics only
        p50 = cells[("grpc", "0.30", "latency_s.p50")]
        self.assertEqual(p50["campaigns"], ["A", "B"])
        self.assertEqual(p50["verdict"], "undecided")                # met, undecided
        self.assertAlmostEqual(p50["spread"], 0.0001)
        self.assertAlmostEqual(p50["spread_over_batch"], 0.0001 / math.hypot(0.0002, 0.0002))
        self.assertEqual(cells[("grpc", "0.30", "latency_s.p99")]["verdict"], "missed")
        # u = 0.85 only in A: kept, with A's verdict, and no spread.
        alone = cells[("grpc", "0.85", "latency_s.p99")]
        self.assertEqual(alone["campaigns"], ["A"])
        self.assertEqual(alone["verdict"], "undecided")
        self.assertIsNone(alone["spread"])
        self.assertIsNone(alone["campaigns_for"])
        self.assertEqual(goal_counts(combined), {"met": 1, "undecided": 2, "missed": 1, "unstable": 0,
                                                 "one campaign": 2})

    def test_a_level_only_a_later_campaign_measured_takes_its_place(self):
        tables = {"A": [row("grpc", "0.30", "latency_s.p50", 0.0044, 0.0046, "met")],
                  "B": [row("grpc", "0.85", "latency_s.p50", 0.0149, 0.0145, "met"),
                        row("grpc", "0.60", "latency_s.p50", 0.0061, 0.0059, "met"),
                        row("grpc", "0.30", "latency_s.p50", 0.0045, 0.0049, "undecided")]}
        self.assertEqual([(r["utilization"], r["campaigns"]) for r in combine(tables)],
                         [("0.30", ["A", "B"]), ("0.60", ["B"]), ("0.85", ["B"])])

    def test_table_marks_one_campaign_cells_and_differing_requests(self):
        tables = self.tables()
        tables["B"].append(row("grpc", "0.85", "latency_s.p50", 0.01492, 0.01448, "met", 0.01396, 0.01589,
                               requests=140000))
        combined = combine(tables)
        text = combined_table.markdown(combined, ["A", "B"])
        lines = {tuple(cell.strip() for cell in line.split("|")[1:4]): line for line in text.splitlines()[2:]}
        self.assertIn("undecided (one campaign: A)", lines[("grpc", "0.85", "p99 (±10 %)")])
        self.assertIn("| – |", lines[("grpc", "0.85", "p99 (±10 %)")])            # B did not measure it
        both = lines[("grpc", "0.85", "p50 (±5 %)")]
        self.assertIn("13.34 [12.45, 14.24] / 13.23 (-1 %) met", both)
        self.assertIn("**met**", both)
        self.assertIn("80,000 / 140,000 (differ)", both)
        self.assertIn("1.58 ms (11 %), 1.2 × batch", both)                   # 1.58 / hypot(0.895, 0.965)
        counts = combined_table.counts_text(combined, ["A", "B"])
        self.assertIn("combined met / undecided / missed: 1 / 2 / 1; 1 of them measured by one campaign only", counts)
        self.assertIn("Campaign B alone (3 goal cells): 1 / 1 / 1.", counts)
        self.assertIn("1 rows compare levels measured with different request counts", counts)


def write_campaign(folder, configs=("grpc",), utilizations=(0.1, 0.3), links=None, text=None):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "campaign.json"), "w") as f:
        f.write(text if text is not None else
                json.dumps({"configs": list(configs), "utilizations": list(utilizations), "link_delay_ms": links or {}}))
    return folder


class BadInputTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def folder(self, name):
        return os.path.join(self.dir.name, name)

    def test_a_folder_without_campaign_json(self):
        os.makedirs(self.folder("running"))
        with self.assertRaisesRegex(combine_campaigns.CampaignError, r"running/campaign\.json: no such file"):
            combine_campaigns.read_campaign(self.folder("running"))

    def test_campaign_json_that_is_not_json_or_lacks_a_key(self):
        write_campaign(self.folder("broken"), text='{"configs": ["grpc"],\n  "utilizations": [0.1,]}')
        with self.assertRaisesRegex(combine_campaigns.CampaignError, r"broken/campaign\.json:2:\d+: not JSON"):
            combine_campaigns.read_campaign(self.folder("broken"))
        write_campaign(self.folder("nolevels"), text='{"configs": ["grpc"]}')
        with self.assertRaisesRegex(combine_campaigns.CampaignError, r"nolevels/campaign\.json: key `utilizations`"):
            combine_campaigns.read_campaign(self.folder("nolevels"))

    def test_different_configurations_are_refused_unless_common_ones_are_picked(self):
        folders = [write_campaign(self.folder("a"), ("rest-async", "rest-thread", "grpc")),
                   write_campaign(self.folder("b"), ("grpc", "rest-async"))]
        campaigns = [combine_campaigns.read_campaign(f) for f in folders]
        with self.assertRaisesRegex(combine_campaigns.CampaignError,
                                    r"b/campaign\.json: key `configs`: .*different configurations"):
            combine_campaigns.chosen_configs(folders, campaigns, None)
        self.assertEqual(combine_campaigns.chosen_configs(folders, campaigns, "grpc,rest-async"), ["grpc", "rest-async"])
        with self.assertRaisesRegex(combine_campaigns.CampaignError, r"b/campaign\.json: key `configs`: has no 'rest-thread'"):
            combine_campaigns.chosen_configs(folders, campaigns, "rest-thread")
        # The same set in another order is the same configurations.
        same = [write_campaign(self.folder("c"), ("grpc", "rest-async")), folders[1]]
        self.assertEqual(combine_campaigns.chosen_configs(same, [combine_campaigns.read_campaign(f) for f in same], None),
                         ["grpc", "rest-async"])

    def test_different_link_delays_are_refused(self):
        folders = [write_campaign(self.folder("a")), write_campaign(self.folder("b"), links={"client-front": 2.0})]
        with self.assertRaisesRegex(combine_campaigns.CampaignError, r"b/campaign\.json: key `link_delay_ms`"):
            combine_campaigns.check_same_links(folders, [combine_campaigns.read_campaign(f) for f in folders])

    def run_main(self, *arguments):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            try:
                code = combine_campaigns.main([*arguments, "--out", self.folder("out"), "--hybridsim", "/bin/false"])
            except SystemExit as exit_:
                code = exit_.code
        return code, err.getvalue()

    def test_main_refuses_before_comparing_anything(self):
        write_campaign(self.folder("a"))
        code, err = self.run_main(self.folder("a"))
        self.assertEqual(code, 2)
        self.assertIn("give two or more campaign folders", err)
        code, err = self.run_main(self.folder("a"), self.folder("a") + "/")
        self.assertEqual(code, 2)
        self.assertIn("given twice", err)
        os.makedirs(self.folder("running"))
        code, err = self.run_main(self.folder("a"), self.folder("running"))
        self.assertEqual(code, 2)
        self.assertIn("running/campaign.json: no such file", err)
        self.assertFalse(os.path.exists(self.folder("out")))

    def test_read_comparison_takes_each_levels_requests(self):
        folder = write_campaign(self.folder("a"))
        os.makedirs(os.path.join(folder, "grpc", "u0.30"))
        with open(os.path.join(folder, "grpc", "u0.30", "summary.json"), "w") as f:
            json.dump({"measurement": {"requests_sent": 12000}}, f)
        with open(os.path.join(folder, "comparison.csv"), "w") as f:
            f.write("config,utilization,metric,measured,predicted,error_percent,measured_ci95_low,measured_ci95_high,"
                    "verdict,requests_for_tolerance,host_cpu_utilization\n"
                    "grpc,0.30,latency_s.p50,0.0044,0.0046,4.5,0.0042,0.0046,met,12000,0.22\n"
                    "grpc,0.30,latency_s.p99,0.0129,,,0.0125,0.0133,,,0.22\n")
        first, second = combine_campaigns.read_comparison(folder)
        self.assertEqual(first["requests"], 12000)
        self.assertAlmostEqual(first["low"], 0.0042)
        self.assertEqual(first["verdict"], "met")
        self.assertIsNone(second["predicted"])
        self.assertIsNone(second["verdict"])   # unstable prediction


class SharedOptionsTests(unittest.TestCase):
    def test_description_options_as_compare_took_them(self):
        parser = argparse.ArgumentParser()
        description.add_options(parser)
        chosen = description.from_options(parser, parser.parse_args(
            ["--server-work-from", "cpu", "--front-work", "--shared-host", "--overhead-at", "0.3",
             "--without-load-scaling", "--branch-overhead", "smallest", "--overhead-family", "empirical"]))
        self.assertEqual(chosen, description.Description(
            load_scaling=False, overhead_at=0.3, server_cpu=True, shared_host=True, front_work=True,
            overhead_family="empirical", branch_overhead="smallest"))
        self.assertEqual(description.from_options(parser, parser.parse_args([])), description.Description())
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            description.from_options(parser, parser.parse_args(["--overhead-at", "0.3", "--overhead-from", "sequential"]))


if __name__ == "__main__":
    unittest.main()
