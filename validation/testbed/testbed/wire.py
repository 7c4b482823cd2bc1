# SPDX-License-Identifier: GPL-3.0-or-later
"""What crosses the wire between the testbed's processes, and the records CSV.

Payloads are raw little-endian float32 matrices (no JSON, no base64): a request of N digit
images is N x 64 floats (384 images: 98,304 bytes), an answer N x 10 probabilities.

Clock: every timestamp is `time.monotonic_ns()`, i.e. CLOCK_MONOTONIC. On Linux that clock is
one per machine (not per process), so the client's send and response times and the servers'
receive and handler times are on one clock as long as every process runs on the same host.
"""
import csv
import time

import numpy as np

now_ns = time.monotonic_ns

# The header `hybridsim calibrate --format testbed` reads (docs/calibration.md), then extras.
RECORD_COLUMNS = ["request_id", "config", "protocol", "offered_rps", "send_ns",
                  "server_receive_ns", "handler_start_ns", "handler_end_ns", "response_ns",
                  "request_bytes", "response_bytes", "status"]
EXTRA_COLUMNS = ["scheduled_ns"]   # when the open-loop schedule wanted the send (0: not scheduled)

# Server timestamps travel back as HTTP headers (REST) or trailing metadata (gRPC).
RECEIVE_KEY = "x-server-receive-ns"
START_KEY = "x-handler-start-ns"
END_KEY = "x-handler-end-ns"
REQUEST_ID_KEY = "x-request-id"

GRPC_METHOD = "/hybridsim.testbed.Model/Infer"
GRPC_OPTIONS = [("grpc.max_send_message_length", 64 << 20),
                ("grpc.max_receive_message_length", 64 << 20)]


def encode(matrix):
    return np.ascontiguousarray(matrix, dtype="<f4").tobytes()


def decode(payload, width):
    """bytes -> float32 (N, width); raises ValueError when the length is not a whole row count."""
    if len(payload) % (4 * width):
        raise ValueError(f"payload of {len(payload)} bytes is not a whole number of {width}-float rows")
    return np.frombuffer(payload, dtype="<f4").reshape(-1, width)


def server_stamps(receive_ns, start_ns, end_ns):
    return {RECEIVE_KEY: str(receive_ns), START_KEY: str(start_ns), END_KEY: str(end_ns)}


def record_row(request_id, config, protocol, offered_rps, result, scheduled_ns=0):
    """One call's record (a CallResult) as a tuple of strings and integers in RECORD_COLUMNS +
    EXTRA_COLUMNS order: what a process that keeps its records until it ends should hold (no
    answer body, and tuples of atoms, which the cyclic garbage collector stops tracking)."""
    return (request_id, config, protocol, f"{offered_rps:.6g}", result.send_ns, result.server_receive_ns,
            result.handler_start_ns, result.handler_end_ns, result.response_ns, result.request_bytes,
            result.response_bytes, result.status, scheduled_ns)


class RecordWriter:
    """Appends per-call records to a CSV file in the testbed format (header written once)."""

    def __init__(self, path):
        self.file = open(path, "w", newline="")
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow(RECORD_COLUMNS + EXTRA_COLUMNS)

    def write(self, request_id, config, protocol, offered_rps, result, scheduled_ns=0):
        self.write_row(record_row(request_id, config, protocol, offered_rps, result, scheduled_ns))

    def write_row(self, row):
        """Writes a row made by record_row."""
        self.writer.writerow(row)

    def close(self):
        self.file.close()


def write_record_rows(path, rows):
    """Writes rows as read by read_records (dicts) back to a records CSV."""
    columns = RECORD_COLUMNS + EXTRA_COLUMNS
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns])


def read_records(path):
    """The rows of a records CSV as dicts with integer times and byte counts."""
    integer = set(RECORD_COLUMNS[4:11]) | set(EXTRA_COLUMNS)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for key in integer:
            if key in row:
                row[key] = int(row[key])
    return rows


def ok_calls_in_handler_order(path):
    """The `ok` rows of a records file, in handler-start order (the order a one-executor
    server ran them in)."""
    return sorted((r for r in read_records(path) if r["status"] == "ok"), key=lambda r: r["handler_start_ns"])
