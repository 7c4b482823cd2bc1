// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import NumericCore
import ScenarioModel
import Scenarios

/// `hybridsim-bench csv-load`: how fast a scenario's large CSV inputs load (issue 18 item 17).
///
/// Writes, in a fresh temporary folder, a prediction log of ROWS × CLASSES (default 50,000 ×
/// 1,000: ImageNet's validation set) and SAMPLES empirical service-time samples (default
/// 1,000,000), and a scenario that names both; loads the scenario with `ScenarioLoader` (the
/// `hybridsim run` path) and times it. Before reporting, it checks the parsed values: every
/// id and label, the probabilities of every 97th row and every 97th sample against
/// `Double(String)` of the written text. It fails (exit 1) when a value differs, when the log
/// loads slower than MIN_MB_S (default 50) MB/s or the samples slower than MIN_ROWS_S (default
/// 1,000,000) rows/s, both in CPU time. The folder is removed afterwards.
enum CSVLoadBench {
    struct Sizes {
        var rows: Int
        var classes: Int
        var samples: Int
    }

    static func run() {
        let environment = ProcessInfo.processInfo.environment
        let sizes = Sizes(rows: Int(environment["ROWS"] ?? "") ?? 50_000, classes: Int(environment["CLASSES"] ?? "") ?? 1_000,
                          samples: Int(environment["SAMPLES"] ?? "") ?? 1_000_000)
        let minimum = Double(environment["MIN_MB_S"] ?? "") ?? 50
        let minimumRows = Double(environment["MIN_ROWS_S"] ?? "") ?? 1_000_000
        guard sizes.rows >= 1, sizes.classes >= 2, sizes.classes <= 100_000, sizes.samples >= 1 else {
            BenchMain.fail(2, "ROWS ≥ 1, 2 ≤ CLASSES ≤ 100000 and SAMPLES ≥ 1 are needed")
        }
        let folder = NSTemporaryDirectory() + "hybridsim-csv-load-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let logBytes = try write(predictionLog(sizes), to: folder + "/log.csv")
            let sampleBytes = try write(samples(sizes), to: folder + "/samples.csv")
            let onlyLog = folder + "/log.yaml", onlySamples = folder + "/samples.yaml"
            try scenario(model: "{serviceTime: 1ms, accuracy: {log: log.csv}}").write(toFile: onlyLog, atomically: true, encoding: .utf8)
            try scenario(model: "{serviceTime: {dist: empirical, file: samples.csv}}")
                .write(toFile: onlySamples, atomically: true, encoding: .utf8)

            let clock = ContinuousClock()
            var started = clock.now, startedCPU = cpuSeconds()
            let logConfig = try ScenarioLoader.load(path: onlyLog)
            let logSeconds = BenchMain.seconds(clock.now - started), logCPU = cpuSeconds() - startedCPU
            started = clock.now
            startedCPU = cpuSeconds()
            let samplesConfig = try ScenarioLoader.load(path: onlySamples)
            let samplesSeconds = BenchMain.seconds(clock.now - started), samplesCPU = cpuSeconds() - startedCPU

            if let problem = checkLog(logConfig, sizes) ?? checkSamples(samplesConfig, sizes) {
                BenchMain.fail(1, "self-check failed, no time reported: \(problem)")
            }
            let logRate = Double(logBytes) / 1e6 / logSeconds, sampleRate = Double(sampleBytes) / 1e6 / samplesSeconds
            // The targets are checked on CPU time, which another process's load does not stretch
            // (the loading is single-threaded, so on an idle machine the two agree).
            let logCPURate = Double(logBytes) / 1e6 / logCPU, sampleCPURows = Double(sizes.samples) / samplesCPU
            let json: [(String, String)] = [
                ("impl", BenchMain.quoted("hybridsim")), ("scenario", BenchMain.quoted("csv-load")),
                ("log_rows", String(sizes.rows)), ("log_classes", String(sizes.classes)), ("log_bytes", String(logBytes)),
                ("log_seconds", BenchMain.number(logSeconds)), ("log_mb_per_s", BenchMain.number(logRate)),
                ("log_cpu_seconds", BenchMain.number(logCPU)), ("log_cpu_mb_per_s", BenchMain.number(logCPURate)),
                ("samples", String(sizes.samples)), ("samples_bytes", String(sampleBytes)),
                ("samples_seconds", BenchMain.number(samplesSeconds)), ("samples_mb_per_s", BenchMain.number(sampleRate)),
                ("samples_rows_per_s", BenchMain.number(Double(sizes.samples) / samplesSeconds)),
                ("samples_cpu_seconds", BenchMain.number(samplesCPU)), ("samples_cpu_rows_per_s", BenchMain.number(sampleCPURows)),
                ("peak_rss_kib", PeakMemory.residentKiB().map(String.init) ?? "null"),
            ]
            print("RESULT {" + json.map { "\(BenchMain.quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}")
            if logCPURate < minimum || sampleCPURows < minimumRows {
                BenchMain.fail(1, String(format: "below the targets (log %.0f MB/s, samples %.0f rows/s of CPU time): log %.1f MB/s, "
                                         + "samples %.0f rows/s", minimum, minimumRows, logCPURate, sampleCPURows))
            }
        } catch let error as ScenarioLoadError {
            BenchMain.fail(1, error.diagnostics.prefix(5).map(\.rendered).joined(separator: "\n"))
        } catch {
            BenchMain.fail(1, "\(error)")
        }
    }

    /// CPU seconds this process has used (all threads).
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A one-model scenario whose model `m` is `model` (a YAML flow mapping).
    static func scenario(model: String) -> String {
        """
        name: csv-load
        run: {requests: 100}
        models:
          m: \(model)
        nodes:
          s: {kind: server}
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, arrivals: {process: poisson, rate: 10/s}}

        """
    }

    /// Millionths of class `c` in row `i`: classes 0…K−2 get 1…997 millionths, the last class
    /// the rest (at least 1,000,000 − 997·(K−1) > 0 for K ≤ 1,000; larger K get fewer).
    static func micro(row i: Int, classes k: Int) -> [Int] {
        let each = min(997, 999_999 / k)
        var values = (0..<(k - 1)).map { c in (i &* 31 &+ c &* 17) % each + 1 }
        values.append(1_000_000 - values.reduce(0, +))
        return values
    }

    /// The log's text: `sample_id,label,p0,…` then rows `i,i mod K,0.000123,…`.
    static func predictionLog(_ sizes: Sizes) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sizes.rows * (sizes.classes * 9 + 16))
        out += Array(("sample_id,label," + (0..<sizes.classes).map { "p\($0)" }.joined(separator: ",") + "\n").utf8)
        for i in 0..<sizes.rows {
            out += Array("\(i),\(i % sizes.classes)".utf8)
            for value in micro(row: i, classes: sizes.classes) {
                out.append(0x2C)
                appendMillionths(value, to: &out)
            }
            out.append(0x0A)
        }
        return out
    }

    /// `0.dddddd` (or `1.000000`) for `value` millionths.
    static func appendMillionths(_ value: Int, to out: inout [UInt8]) {
        out.append(value == 1_000_000 ? 0x31 : 0x30)
        out.append(0x2E)
        var digits = value % 1_000_000
        var buffer = [UInt8](repeating: 0x30, count: 6)
        for position in stride(from: 5, through: 0, by: -1) {
            buffer[position] = 0x30 + UInt8(digits % 10)
            digits /= 10
        }
        out += buffer
    }

    /// The samples: a header `ms`, then `i mod 9973 / 1000 + 0.5` milliseconds per row.
    static func samples(_ sizes: Sizes) -> [UInt8] {
        var out = Array("ms\n".utf8)
        out.reserveCapacity(sizes.samples * 10)
        for i in 0..<sizes.samples { out += Array(sampleText(i).utf8) + [0x0A] }
        return out
    }

    static func sampleText(_ i: Int) -> String {
        let thousandths = (i % 9973) * 7 % 100_000 + 500
        return "\(thousandths / 1000).\(String(thousandths % 1000).leftPadded(to: 3))"
    }

    static func write(_ bytes: [UInt8], to path: String) throws -> Int {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return bytes.count
    }

    /// The log as loaded against what was written; nil when every checked value agrees.
    static func checkLog(_ config: ScenarioConfig, _ sizes: Sizes) -> String? {
        guard let log = config.models.first?.accuracy?.log else { return "the scenario has no prediction log" }
        guard log.classes == sizes.classes, log.count == sizes.rows else {
            return "loaded \(log.count) rows of \(log.classes) classes, wrote \(sizes.rows) of \(sizes.classes)"
        }
        for i in 0..<sizes.rows {
            guard log.sampleIDs[i] == i, log.labels[i] == Int32(i % sizes.classes) else { return "row \(i): id or label differs" }
            guard i % 97 == 0 else { continue }
            for (c, value) in micro(row: i, classes: sizes.classes).enumerated() {
                var text: [UInt8] = []
                appendMillionths(value, to: &text)
                let expected = Double(String(decoding: text, as: UTF8.self))!
                let got = log.probabilities[i * sizes.classes + c]
                guard got.bitPattern == expected.bitPattern else { return "row \(i) class \(c): \(got), wrote \(expected)" }
            }
        }
        return nil
    }

    /// The samples as loaded against what was written (in seconds); nil when they agree.
    static func checkSamples(_ config: ScenarioConfig, _ sizes: Sizes) -> String? {
        guard case .empirical(let samples)? = config.models.first?.serviceTime else { return "the model has no empirical samples" }
        guard samples.count == sizes.samples else { return "loaded \(samples.count) samples, wrote \(sizes.samples)" }
        for i in stride(from: 0, to: sizes.samples, by: 97) {
            let expected = Double(sampleText(i))! * 0.001
            guard samples[i].bitPattern == expected.bitPattern else { return "sample \(i): \(samples[i]), wrote \(expected) s" }
        }
        return nil
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
