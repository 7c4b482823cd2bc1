// SPDX-License-Identifier: GPL-3.0-or-later

/// A perf_analyzer CSV export (`-f`) of three concurrency levels, out of order, in
/// microseconds: compute = input + infer + output is 3840, 3940 and 4040 µs at concurrency 1,
/// 2 and 4; the client-side overhead (send + network/server send-receive + receive) 335 µs.
enum PerfAnalyzerSample {
    static let text = """
        Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,p99 latency
        4,900,20,300,400,30,4000,10,15,4800,5200,5400,6000
        1,240,20,300,5,30,3800,10,15,4100,4300,4400,4700
        2,470,20,300,100,30,3900,10,15,4300,4600,4700,5100
        """
}
