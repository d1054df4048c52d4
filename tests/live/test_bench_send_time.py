"""The live benchmark times a score from when its request left the bench (its headers
written to the connection), for the app and the floor alike: in a burst the bench's one
process prepared 200 requests before writing the first, a queue no phone has."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "bench"))

import live_juries
import live_metrics


def test_a_traced_request_notes_when_it_was_written_between_its_start_and_answer():
    async def scenario():
        async def score(request):
            await request.json()
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post("/score", score)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            async with aiohttp.ClientSession(
                    trace_configs=[live_juries.request_tracing()]) as session:
                return await asyncio.gather(*(live_juries.post_baseline(
                    session, f"http://127.0.0.1:{port}", n) for n in range(1, 21)))
        finally:
            await runner.cleanup()

    # In a thread of its own: an earlier test may leave an event loop running in this one.
    result: list = []
    thread = threading.Thread(target=lambda: result.extend(asyncio.run(scenario())))
    thread.start()
    thread.join(timeout=60)
    posts = result
    assert len(posts) == 20
    assert all(post["status"] == 200 for post in posts)
    assert all(post["sent"] <= post["written"] <= post["answered"] for post in posts)


def test_latencies_start_at_the_written_moment_and_fall_back_to_the_start():
    posts = [{"seq": 1, "sent": 10.0, "written": 10.3, "status": 201, "burst": True},
             {"seq": 2, "sent": 10.0, "written": None, "status": 201, "burst": True},
             {"seq": 3, "sent": 10.0, "written": 10.1, "status": 503, "burst": True}]
    run = SimpleNamespace(posts=posts, viewers={"record": {1: [10.5, 10.6], 2: [10.5],
                                                           3: [10.9]}})
    assert sorted(round(value, 6) for value in live_metrics.latencies(run)) == [0.2, 0.3, 0.5]
    assert live_metrics.latencies(run, only_burst=True)
