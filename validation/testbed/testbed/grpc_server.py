# SPDX-License-Identifier: GPL-3.0-or-later
"""A model served over gRPC: grpcio's synchronous server with one worker thread, ONNX Runtime.

  python -m testbed.grpc_server --model models/model-a.onnx --port 9001

The method /hybridsim.testbed.Model/Infer is registered with a generic handler (no generated
code: request and answer are raw bytes, the float32 matrices of testbed/wire.py). The server's
thread pool has one thread, so calls are served one at a time; the answer's trailing metadata
carries x-server-receive-ns, x-handler-start-ns and x-handler-end-ns. grpcio runs no Python
code for a call before its worker thread takes it, so x-server-receive-ns is that moment (equal
to the handler start up to microseconds): waiting for the thread is not visible separately.
"""
import argparse
from concurrent import futures

from . import wire
from .model import OnnxModel


def build_server(model_path, port):
    import grpc
    model = OnnxModel(model_path)

    def infer(request, context):
        receive = wire.now_ns()
        try:
            batch = wire.decode(request, model.input_width)
        except ValueError as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
        start = wire.now_ns()
        out = model.infer(batch)
        end = wire.now_ns()
        context.set_trailing_metadata(tuple(wire.server_stamps(receive, start, end).items()))
        return wire.encode(out)

    service, _, method = wire.GRPC_METHOD.strip("/").partition("/")
    handler = grpc.method_handlers_generic_handler(
        service, {method: grpc.unary_unary_rpc_method_handler(infer)})
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1), options=wire.GRPC_OPTIONS)
    server.add_generic_rpc_handlers((handler,))
    if server.add_insecure_port(f"127.0.0.1:{port}") == 0:
        raise SystemExit(f"gRPC server: cannot listen on 127.0.0.1:{port}")
    return server


def main():
    parser = argparse.ArgumentParser(description="grpcio model server (testbed)")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = build_server(args.model, args.port)
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
