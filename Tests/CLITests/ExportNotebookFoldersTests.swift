// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim export notebook` over a sweep folder and a plan folder (issue 17 item 7): the
/// notebook validates with nbformat, loads `sweep.csv` (or `plan.json` and `pareto.csv`) by a
/// path relative to itself, carries the charts that fit (p99 across the sweep and the
/// trade-off; the plan's trade-off) pre-rendered as SVG, and runs where Jupyter is installed.
final class ExportNotebookFoldersTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try BinaryRunner.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Validates `notebook` with nbformat and returns its code, markdown, output MIME types
    /// and `metadata.hybridsim.results`.
    private func facts(_ notebook: String) throws -> [String: Any] {
        let script = """
            import json, sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            ids = [c.id for c in nb.cells]
            assert len(set(ids)) == len(ids), 'cell ids must be unique'
            print(json.dumps({
                'code': '\\n'.join(c.source for c in nb.cells if c.cell_type == 'code'),
                'markdown': '\\n'.join(c.source for c in nb.cells if c.cell_type == 'markdown'),
                'svgs': sum(1 for c in nb.cells if c.cell_type == 'code' for o in c.outputs if 'image/svg+xml' in o.get('data', {})),
                'results': nb.metadata['hybridsim']['results'],
            }))
            """
        let validated = try ReportCommandTests.runTool("/usr/bin/env", ["python3", "-c", script, notebook])
        XCTAssertEqual(validated.status, 0, "nbformat rejected the notebook: " + validated.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(validated.stdout.utf8)) as? [String: Any])
    }

    func testSweepFolderNotebook() throws {
        try SweepVerdictTests.scenario.write(toFile: directory + "/verdict.yaml", atomically: true, encoding: .utf8)
        let out = directory + "/results/verdict-sweep"
        let sweep = try BinaryRunner.run(["sweep", directory + "/verdict.yaml", "--out", out, "--quiet", "--jobs", "1"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let export = try BinaryRunner.run(["export", "notebook", out, "--to", directory + "/notebooks"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let notebook = directory + "/notebooks/verdict-sweep.ipynb"
        XCTAssertTrue(export.stdout.contains(notebook), export.stdout)
        let facts = try facts(notebook)
        XCTAssertEqual(facts["results"] as? String, "../results/verdict-sweep")
        let code = try XCTUnwrap(facts["code"] as? String)
        XCTAssertTrue(code.contains("pd.read_csv(results / \"sweep.csv\""), code)
        let markdown = try XCTUnwrap(facts["markdown"] as? String)
        XCTAssertTrue(markdown.contains("`workload.0.arrivals.rate`: 3 finished points"), markdown)
        XCTAssertTrue(markdown.contains("2 points missed it"), markdown)
        XCTAssertTrue(markdown.contains("1 point stopped early"), markdown)
        // p99 across the rates and the cost / p99 trade-off.
        XCTAssertEqual(facts["svgs"] as? Int, 2)
        try ExportNotebookCommandTests.executeIfJupyterIsInstalled(notebook)
    }

    func testPlanFolderNotebook() throws {
        let file = try PlanCommandTests.writeScenario(into: directory)
        let out = directory + "/results/mmc-plan"
        let plan = try BinaryRunner.run(["plan", file, "--out", out, "--quiet"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let export = try BinaryRunner.run(["export", "notebook", out, "--to", directory + "/notebooks"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let notebook = directory + "/notebooks/mmc-plan.ipynb"
        let facts = try facts(notebook)
        XCTAssertEqual(facts["results"] as? String, "../results/mmc-plan")
        let code = try XCTUnwrap(facts["code"] as? String)
        XCTAssertTrue(code.contains("plan.json") && code.contains("pareto.csv"), code)
        let markdown = try XCTUnwrap(facts["markdown"] as? String)
        XCTAssertTrue(markdown.contains("a feasible plan was found"), markdown)
        XCTAssertTrue(markdown.contains("**Best plan:** candidate "), markdown)
        XCTAssertEqual(facts["svgs"] as? Int, 1)
        try ExportNotebookCommandTests.executeIfJupyterIsInstalled(notebook)
    }
}
