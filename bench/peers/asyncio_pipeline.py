"""The asyncio peer: the same job as Tickscope's pipeline, written the usual way in Python.

A reader task takes frames off a `websockets` connection, parses them with json.loads and puts
normalised trades on a bounded asyncio.Queue; an aggregator task takes them off and builds
1-minute OHLCV bars (with buy/sell volume, count and VWAP) keyed by exchange time. It stops after
`expected` trades and prints one JSON line: frames, trades, seconds (first frame to last trade),
bars built.

    python3 asyncio_pipeline.py ws://127.0.0.1:PORT/stream binance BTCUSDT 500000
"""
import asyncio
import json
import sys
import time

import websockets

MINUTE_MS = 60_000


class Bar:
    __slots__ = ("start", "open", "high", "low", "close", "volume", "buy", "sell", "count", "notional")

    def __init__(self, start, price):
        self.start = start
        self.open = self.high = self.low = self.close = price
        self.volume = self.buy = self.sell = self.notional = 0.0
        self.count = 0

    def add(self, price, size, side):
        if price > self.high:
            self.high = price
        if price < self.low:
            self.low = price
        self.close = price
        self.volume += size
        self.notional += price * size
        self.count += 1
        if side == "buy":
            self.buy += size
        elif side == "sell":
            self.sell += size


def subscribe_message(venue, native):
    if venue == "binance":
        return json.dumps({"method": "SUBSCRIBE", "params": [native.lower() + "@aggTrade"], "id": 1})
    return json.dumps({"op": "subscribe", "args": ["publicTrade." + native], "req_id": "bench"})


def parse(venue, frame):
    """Frame -> list of (symbol, price, size, side, time, id); [] for acks."""
    msg = json.loads(frame)
    if venue == "binance":
        d = msg.get("data")
        if not d or d.get("e") != "aggTrade":
            return []
        return [(d["s"], float(d["p"]), float(d["q"]), "sell" if d["m"] else "buy", d["T"], d["a"])]
    if "topic" not in msg:
        return []
    return [
        (t["s"], float(t["p"]), float(t["v"]), "buy" if t["S"] == "Buy" else "sell", t["T"], t["i"])
        for t in msg["data"]
    ]


async def reader(url, venue, native, queue, state):
    async with websockets.connect(url, max_size=None, compression=None) as ws:
        await ws.send(subscribe_message(venue, native))
        async for frame in ws:
            trades = parse(venue, frame)
            if not trades:
                continue
            if state["frames"] == 0:
                state["first"] = time.perf_counter()
            state["frames"] += 1
            for t in trades:
                await queue.put(t)
            if state["done"].is_set():
                return


async def aggregator(queue, state, expected):
    bars = {}
    finished = 0
    count = 0
    while count < expected:
        symbol, price, size, side, t, _id = await queue.get()
        start = t - t % MINUTE_MS
        bar = bars.get(symbol)
        if bar is None or start > bar.start:
            if bar is not None:
                finished += 1
            bar = bars[symbol] = Bar(start, price)
        bar.add(price, size, side)
        count += 1
    state["last"] = time.perf_counter()
    state["trades"] = count
    state["bars"] = finished + len(bars)
    state["done"].set()


async def main():
    url, venue, native, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    queue = asyncio.Queue(maxsize=10_000)
    state = {"frames": 0, "first": 0.0, "last": 0.0, "trades": 0, "bars": 0, "done": asyncio.Event()}
    read = asyncio.create_task(reader(url, venue, native, queue, state))
    await aggregator(queue, state, expected)
    read.cancel()
    try:
        await read
    except (asyncio.CancelledError, websockets.ConnectionClosed):
        pass
    print(json.dumps({
        "frames": state["frames"],
        "trades": state["trades"],
        "seconds": state["last"] - state["first"],
        "bars": state["bars"],
        "websockets": websockets.__version__,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    asyncio.run(main())
