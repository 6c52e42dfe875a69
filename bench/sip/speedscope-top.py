#!/usr/bin/env python3
"""Top frames of a dotnet-trace cpu-sampling trace converted to speedscope (registrar-bench.sh threads, TRACE=...).

The sampler records every managed thread each millisecond, blocked or not: a sample whose stack shows a wait (a
semaphore, a socket receive, a sleep, the thread pool's idle wait) is counted as idle and left out. Prints the busy
time per thread and the frames with the most inclusive busy time (each frame counted once per sample).
"""
import json
import re
import sys
from collections import Counter

IDLE = re.compile(r"Wait|Sleep|FileSystemWatcher|ReceiveFrom|Receive\(|EventLoop|LowLevelLifoSemaphore|WaitForSignal|Monitor\.Enter|"
                  r"SpinWait|Thread\.Join|Accept|epoll|GetQueuedCompletionStatus")

path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40
doc = json.load(open(path))
frames = [f["name"] for f in doc["shared"]["frames"]]
inclusive, self_time, per_thread = Counter(), Counter(), Counter()
idle_total = busy_total = 0.0
for profile in doc["profiles"]:
    stack, last = [], None
    for ev in profile["events"]:
        at = ev["at"]
        if last is not None and stack and at > last:
            dt = at - last
            names = [frames[i] for i in stack]
            if any(IDLE.search(n) for n in names[-6:]):
                idle_total += dt
            else:
                busy_total += dt
                per_thread[profile["name"]] += dt
                for n in set(names):
                    inclusive[n] += dt
                self_time[names[-1]] += dt
        if ev["type"] == "O":
            stack.append(ev["frame"])
        elif stack:
            stack.pop()
        last = at

print(f"busy {busy_total / 1000:.2f} s, idle (waiting) {idle_total / 1000:.2f} s over {len(doc['profiles'])} threads")
print("busy per thread:")
for name, t in per_thread.most_common(12):
    print(f"  {t / 1000:7.2f} s  {name}")
print(f"top {top} frames by inclusive busy time (share of busy):")
for name, t in inclusive.most_common(top):
    print(f"  {100 * t / busy_total:5.1f} %  {name[:150]}")
print(f"top {top // 2} frames by self time:")
for name, t in self_time.most_common(top // 2):
    print(f"  {100 * t / busy_total:5.1f} %  {name[:150]}")
