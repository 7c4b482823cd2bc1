// SPDX-License-Identifier: GPL-3.0-or-later
import Calibration
import Reporting
import XCTest

/// `calibration.json` (`CalibrationDocument`): the bytes, key order and `null`s of the file as
/// it was written before it became a `Codable` type (pinned from the earlier output).
final class CalibrationDocumentTests: XCTestCase {
    /// A perf_analyzer export: the mean-only service time, load dependence per concurrency
    /// level (no standard errors: one mean per level), no protocols, the fixed overhead.
    func testPerfAnalyzerDocumentIsWrittenExactly() throws {
        let calibration = try Calibration.make(Calibration.Request(file: "perf.csv"), text: PerfAnalyzerSample.text)
        let expected = """
            {
              "kind": "calibration",
              "hybridsim_version": "\(HybridsimVersion.string)",
              "source": {
                "file": "perf.csv",
                "format": "perf-analyzer",
                "unit": "us",
                "samples_used": "perf_analyzer means at concurrency 1 (the lowest of 3 levels)",
                "failed_requests": 0
              },
              "model": "model",
              "service_time": {
                "chosen": "deterministic",
                "mean_s": 0.0038399999999999997,
                "reason": "perf_analyzer reports per-level means only: the mean compute time at the lowest concurrency, as a constant"
              },
              "load_dependence": {
                "variable": "concurrency",
                "levels": [
                  {
                    "load": 1.0,
                    "count": 1,
                    "mean_s": 0.0038399999999999997,
                    "standard_error_s": null
                  },
                  {
                    "load": 2.0,
                    "count": 1,
                    "mean_s": 0.00394,
                    "standard_error_s": null
                  },
                  {
                    "load": 4.0,
                    "count": 1,
                    "mean_s": 0.00404,
                    "standard_error_s": null
                  }
                ],
                "intercept_s": 0.0037899999999999995,
                "slope_s_per_unit": 6.428571428571446e-05,
                "slope_standard_error": 1.2371791482634872e-05,
                "slope_p_value": 0.12103771832367663,
                "significant": false,
                "used_by_simulator": false,
                "service_time_scaling": null,
                "summary": "mean service time 3.84ms at concurrency 1, 4.04ms at 4 (+5.208 %); line: 3.79ms + 64.29us per unit of concurrency (slope SE 12.37us, p = 0.121): not significant at the 5 % level"
              },
              "protocols": [],
              "fixed_overhead_s": 0.000335
            }
            """
        XCTAssertEqual(try CalibrationDocument.render(calibration).rendered(), expected + "\n")
    }

    /// Forty equal samples: the deterministic fit, whose log-likelihood and AIC are `null`, no
    /// runner-up (`null`, and no runner-up curve in the chart), no load dependence (`null`),
    /// no protocols and no fixed overhead (left out).
    func testDeterministicFitWritesItsNulls() throws {
        let text = "t_ms\n" + String(repeating: "5\n", count: 40)
        let calibration = try Calibration.make(Calibration.Request(file: "equal.csv", column: "t_ms"), text: text)
        let json = try CalibrationDocument.render(calibration).rendered()
        for line in ["    \"runner_up\": null,\n", "        \"log_likelihood\": null,\n", "        \"aic\": null,\n",
                     "  \"load_dependence\": null,\n", "  \"protocols\": []\n}"] {
            XCTAssertTrue(json.contains(line), line)
        }
        XCTAssertFalse(json.contains("fixed_overhead_s"))
        XCTAssertEqual(json.components(separatedBy: "runner_up").count - 1, 1, "no runner-up curve in cdf_plot")
    }
}
