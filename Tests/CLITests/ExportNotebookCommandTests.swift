// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hybridsim export notebook`: a notebook the nbformat package accepts, that finds its results
/// by a relative path, executed with nbconvert where Jupyter, pandas and matplotlib are
/// installed (../shared/recipes/notebooks.md).
final class ExportNotebookCommandTests: XCTestCase {
    let short = ["--set", "run.requests=2000", "--set", "run.warmupRequests=200", "--set", "run.replications=2"]

    func testNotebookValidatesWithNbformatAndLoadsResultsByRelativePath() throws {
        let root = try BinaryRunner.temporaryDirectory()
        let results = root + "/results/collab"
        let run = try BinaryRunner.run(["run", "scenarios/image-collaborative.yaml", "--quiet", "--out", results] + short)
        XCTAssertEqual(run.status, 0, run.stderr)
        let exportDirectory = root + "/notebooks-export"
        let export = try BinaryRunner.run(["export", "notebook", results, "--to", exportDirectory])
        XCTAssertEqual(export.status, 0, export.stderr)
        let notebook = exportDirectory + "/collab.ipynb"
        XCTAssertTrue(export.stdout.contains(notebook), export.stdout)

        // nbformat validates it (v4 schema, minor 5: every cell has an id) and reports what
        // the checks below need.
        let script = """
            import json, sys, nbformat
            nb = nbformat.read(sys.argv[1], as_version=4)
            nbformat.validate(nb)
            assert (nb.nbformat, nb.nbformat_minor) == (4, 5), (nb.nbformat, nb.nbformat_minor)
            ids = [c.id for c in nb.cells]
            assert len(set(ids)) == len(ids), 'cell ids must be unique'
            print(json.dumps({
                'kinds': [c.cell_type for c in nb.cells],
                'code': '\\n'.join(c.source for c in nb.cells if c.cell_type == 'code'),
                'markdown': '\\n'.join(c.source for c in nb.cells if c.cell_type == 'markdown'),
                'mimes': sorted({m for c in nb.cells if c.cell_type == 'code' for o in c.outputs for m in o.get('data', {})}),
                'results': nb.metadata['hybridsim']['results'],
            }))
            """
        let validated = try ReportCommandTests.runTool("/usr/bin/env", ["python3", "-c", script, notebook])
        XCTAssertEqual(validated.status, 0, "nbformat rejected the notebook (install it: scripts/install-deps.sh --for-tests): " + validated.stderr)
        let facts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(validated.stdout.utf8)) as? [String: Any])
        let kinds = try XCTUnwrap(facts["kinds"] as? [String])
        XCTAssertEqual(kinds.first, "markdown")
        XCTAssertGreaterThanOrEqual(kinds.filter { $0 == "code" }.count, 3)
        let code = try XCTUnwrap(facts["code"] as? String)
        for needle in ["import pandas as pd", "import matplotlib.pyplot as plt", "summary.json", "plt.subplots"] {
            XCTAssertTrue(code.contains(needle), needle)
        }
        let markdown = try XCTUnwrap(facts["markdown"] as? String)
        XCTAssertTrue(markdown.contains("image-collaborative"))
        XCTAssertTrue(markdown.contains("collaborative"), "the deployment is explained")
        XCTAssertEqual(facts["mimes"] as? [String], ["image/svg+xml", "text/plain"], "pre-rendered outputs")
        // The path is relative to the notebook and leads to the results.
        let relative = try XCTUnwrap(facts["results"] as? String)
        XCTAssertEqual(relative, "../results/collab")
        XCTAssertTrue(code.contains("Path('../results/collab')"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: exportDirectory + "/" + relative + "/summary.json"))

        try Self.executeIfJupyterIsInstalled(notebook)
    }

    func testFolderWithoutSummaryIsInvalid() throws {
        let empty = try BinaryRunner.temporaryDirectory()
        let result = try BinaryRunner.run(["export", "notebook", empty, "--to", empty + "/out"])
        XCTAssertEqual(result.status, 2, result.stderr)
    }

    /// Runs the notebook with `jupyter nbconvert --execute` when Jupyter (with pandas and
    /// matplotlib) is there: $HYBRIDSIM_JUPYTER or `jupyter` on PATH. CI does not install it.
    static func executeIfJupyterIsInstalled(_ notebook: String) throws {
        let jupyter = ProcessInfo.processInfo.environment["HYBRIDSIM_JUPYTER"] ?? "jupyter"
        let probe = try ReportCommandTests.runTool("/usr/bin/env", [jupyter, "nbconvert", "--version"])
        guard probe.status == 0 else {
            print("note: jupyter nbconvert not installed; notebook validated but not executed")
            return
        }
        let output = URL(fileURLWithPath: notebook).deletingPathExtension().path + "-executed.ipynb"
        // matplotlib's and IPython's settings and caches go to a temporary directory, not home.
        let scratch = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let executed = try ReportCommandTests.runTool("/usr/bin/env", [
            jupyter, "nbconvert", "--to", "notebook", "--execute", notebook, "--output", output,
        ], environment: ["MPLCONFIGDIR": scratch + "/matplotlib", "IPYTHONDIR": scratch + "/ipython"])
        XCTAssertEqual(executed.status, 0, executed.stderr)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(text.contains("image/png") || text.contains("image/svg+xml"), "matplotlib drew the charts")
    }
}
