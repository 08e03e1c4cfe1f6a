"""benchmarks/drawing.py's measure: the renderer main thread's CPU time from a Chrome trace."""

from __future__ import annotations

import json

from benchmarks.drawing import main_thread_cpu_ms


def test_only_the_renderer_main_threads_top_level_tasks_count_by_their_cpu_time():
    events = [
        {"ph": "M", "name": "thread_name", "pid": 1, "tid": 10,
         "args": {"name": "CrRendererMain"}},
        {"ph": "M", "name": "thread_name", "pid": 1, "tid": 11,
         "args": {"name": "Compositor"}},
        # 30 ms of wall time of which 12 ms on a core: the 12 count, not the 30
        {"ph": "X", "name": "RunTask", "pid": 1, "tid": 10, "dur": 30_000, "tdur": 12_000},
        {"ph": "X", "name": "RunTask", "pid": 1, "tid": 10, "dur": 5_000, "tdur": 4_500},
        # inside a task (already counted), on another thread, or without a thread time
        {"ph": "X", "name": "FunctionCall", "pid": 1, "tid": 10, "dur": 9_000, "tdur": 9_000},
        {"ph": "X", "name": "RunTask", "pid": 1, "tid": 11, "dur": 7_000, "tdur": 7_000},
        {"ph": "X", "name": "RunTask", "pid": 1, "tid": 10, "dur": 2_000},
    ]
    trace = json.dumps({"traceEvents": events}).encode()
    assert main_thread_cpu_ms(trace) == 16.5
