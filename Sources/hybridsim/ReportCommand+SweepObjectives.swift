// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import PlanningFiles
import Reporting

extension ReportCommand {
    /// `sweep` with the latency objectives of its points, read from its folder's `sweep.sqlite`
    /// (`sweep.csv` holds only the verdicts). Without a readable store the sweep is returned
    /// as it is: its charts then draw no objective line and their captions say so; an
    /// unreadable store is also named on stderr.
    static func withObjectives(_ sweep: ReportedSweep) -> ReportedSweep {
        let path = sweep.directory + "/" + SweepStore.fileName
        guard FileManager.default.fileExists(atPath: path) else { return sweep }
        var sweep = sweep
        do {
            sweep.objectives = try SweepStore(existing: sweep.directory).latencyObjectives()
        } catch {
            FileHandle.standardError.write(Data("warning: \(path): \(error); the sweep's charts draw no objective line\n".utf8))
        }
        return sweep
    }
}
