#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the CPU time of a `hybridsim sweep` goes, by phase and thread (docs/performance.md,
"Sweep scaling"). CPU time, not wall time, so it means the same on a busy machine:

    perf record -F 2000 -g -o sweep.perf .build/release/hybridsim sweep scenarios/bench/sweep1000.yaml \
        --jobs 2 --out /tmp/sweep --quiet
    perf script -i sweep.perf > sweep.script
    scripts/sweep-phases.py sweep.script 2000      # the sampling frequency given to -F

Phases, by the samples' time stamps: before the points are decoded (start-up, YAML, the base
scenario), the points' decoding (`ScenarioLoader.decodeEach`, on --jobs threads), between
(store opened, pending points), the run (`SweepRunner.run`, on --jobs threads) and after
(the table, closing the store). What is not on --jobs threads bounds the speed-up:
speed-up ≤ total / (serial + parallel / jobs).
"""
import collections
import re
import sys


def main(path, hertz):
    samples, main_thread = [], None
    for record in open(path).read().split('\n\n'):
        lines = record.strip().split('\n')
        if len(lines) < 2:
            continue
        head = re.match(r'\s*\S+\s+(\d+)\s+([\d.]+):', lines[0])
        if not head:
            continue
        thread, time = int(head.group(1)), float(head.group(2))
        main_thread = main_thread or thread
        samples.append((time, thread, '\n'.join(lines[1:])))
    decode = [t for t, _, stack in samples if 'decodeEach' in stack]
    run = [t for t, _, stack in samples if 'SweepRunnerO3run' in stack]
    if not run:
        sys.exit('no sample in SweepRunner.run: was this a sweep, with symbols?')
    cpu = collections.Counter()
    for time, thread, _ in samples:
        if decode and min(decode) <= time <= max(decode):
            phase = '2 decode points'
        elif min(run) <= time <= max(run):
            phase = '4 run points'
        elif time > max(run):
            phase = '5 after'
        elif decode and time > max(decode):
            phase = '3 between'
        else:
            phase = '1 before'
        cpu[(phase, 'main' if thread == main_thread else 'other')] += 1000.0 / hertz
    for (phase, thread), ms in sorted(cpu.items()):
        print(f'{phase:16} {thread:6} {ms:8.1f} ms CPU')
    serial = sum(ms for (phase, _), ms in cpu.items() if phase[0] in '135')
    parallel = sum(cpu.values()) - serial
    print(f'serial {serial:.0f} ms, parallel {parallel:.0f} ms: '
          f'speed-up at most {(serial + parallel) / (serial + parallel / 2):.2f}x on 2 threads')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
