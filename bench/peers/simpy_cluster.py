#!/usr/bin/python3
"""The work of bench/cluster.json written in SimPy: a peer for kafkasim's cluster benchmark.

A faithful but small model of the same message flow, not of everything kafkasim simulates:
3 brokers, one topic of 6 partitions with replication factor 3 (leaders spread over the
brokers), 3 producers of 20,000 messages/s each with Poisson arrivals, 100-byte messages,
acks=all. What is modelled, with kafkasim's defaults:

- links: 0.5 ms one way plus bytes * 8 / 10 Gb/s on a serial line, FIFO per direction;
- producers: Kafka 2.4's sticky partitioner (a new partition when a new batch is opened),
  the record accumulator with linger.ms=0 and batch.size=16384, one request per broker with
  one batch per partition, max.in.flight.requests.per.connection=5;
- brokers: num.io.threads=8 request handler threads, 0.05 ms per produce and 0.02 ms per fetch
  request; the leader appends and parks an acks=all produce until the high watermark (the
  smallest log end offset over the ISR) passes it;
- replication: one fetcher per (follower, leader) pair; the leader answers a fetch at once if it
  has records past the fetch offset, else parks it up to replica.fetch.wait.max.ms=500 until
  some arrive; a follower appends and fetches again.

Left out (kafkasim has them; this benchmark's run exercises none of them): ZooKeeper, the
controller, elections, ISR shrinking, timeouts and retries, the final read and the loss check,
the report. So this model does less work per message than kafkasim does.

Prints the messages sent and acknowledged, and simulated messages per wall and per CPU second.
  /usr/bin/python3 bench/peers/simpy_cluster.py [--duration-s 5] [--seed 1]
Needs SimPy 3 (Debian: apt-get install python3-simpy3).
"""

import argparse
import random
import resource
import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("simpy_cluster.py: needs SimPy 3 (Debian: apt-get install python3-simpy3)")

BROKERS = 3
PARTITIONS = 6
PRODUCERS = 3
RATE_PER_S = 20000.0
MESSAGE_BYTES = 100
LATENCY_S = 0.0005
BANDWIDTH_BPS = 10_000 * 1e6
IO_THREADS = 8
PRODUCE_S = 0.00005
FETCH_S = 0.00002
FETCH_WAIT_S = 0.5
BATCH_SIZE = 16384
MAX_IN_FLIGHT = 5
HEADER_BYTES = 64  # request and response overhead, as a small constant


class Link:
    """One direction between two nodes: a serial line, then the latency; FIFO."""

    def __init__(self, env):
        self.env = env
        self.free_at = 0.0

    def send(self, size, deliver):
        start = max(self.env.now, self.free_at)
        self.free_at = start + size * 8 / BANDWIDTH_BPS
        event = self.env.timeout(self.free_at + LATENCY_S - self.env.now)
        event.callbacks.append(lambda _: deliver())


class Network:
    def __init__(self, env, nodes):
        self.links = {(a, b): Link(env) for a in range(nodes) for b in range(nodes) if a != b}

    def send(self, src, dst, size, deliver):
        self.links[(src, dst)].send(size, deliver)


class PartitionLog:
    def __init__(self, leader, replicas):
        self.leader = leader
        self.replicas = replicas
        self.leo = {b: 0 for b in replicas}  # log end offset per replica
        self.hw = 0
        self.parked_produces = []  # (end offset, respond)
        self.parked_fetches = []  # callbacks to answer when records arrive


class Broker:
    def __init__(self, cluster, node):
        self.cluster = cluster
        self.node = node
        self.threads = simpy.Resource(cluster.env, IO_THREADS)

    def handle(self, service_s, work):
        """A request waits for a handler thread, which holds it for service_s, then works."""
        env = self.cluster.env

        def run():
            with self.threads.request() as slot:
                yield slot
                yield env.timeout(service_s)
            work()

        env.process(run())

    def produce(self, producer, batches, respond):
        def work():
            waiting = [len(batches)]

            def one_done():
                waiting[0] -= 1
                if waiting[0] == 0:
                    respond()

            for partition, count in batches:
                log = self.cluster.logs[partition]
                log.leo[self.node] += count
                log.parked_produces.append((log.leo[self.node], one_done))
                self.cluster.wake_fetches(log)
                self.cluster.advance_hw(log)

        self.handle(PRODUCE_S, work)

    def fetch(self, follower, offsets, respond):
        """A follower's fetch: offsets maps partition -> the follower's log end offset."""

        def answer():
            counts = {}
            for partition, offset in offsets.items():
                log = self.cluster.logs[partition]
                counts[partition] = log.leo[self.node] - offset
            respond(counts)

        def work():
            for partition, offset in offsets.items():
                log = self.cluster.logs[partition]
                log.leo[follower] = offset  # what the fetch offset says it holds
                self.cluster.advance_hw(log)
            if any(self.cluster.logs[p].leo[self.node] > o for p, o in offsets.items()):
                answer()
                return
            # Park: answered when records arrive or after replica.fetch.wait.max.ms.
            state = {"done": False}

            def release():
                if not state["done"]:
                    state["done"] = True
                    answer()

            for partition in offsets:
                self.cluster.logs[partition].parked_fetches.append(release)
            timer = self.cluster.env.timeout(FETCH_WAIT_S)
            timer.callbacks.append(lambda _: release())

        self.handle(FETCH_S, work)


class Fetcher:
    """A follower's fetcher thread for one leader."""

    def __init__(self, cluster, follower, leader, partitions):
        self.cluster = cluster
        self.follower = follower
        self.leader = leader
        self.partitions = partitions
        self.offsets = {p: 0 for p in partitions}

    def start(self):
        offsets = dict(self.offsets)
        size = HEADER_BYTES + 16 * len(offsets)
        self.cluster.network.send(
            self.follower,
            self.leader,
            size,
            lambda: self.cluster.brokers[self.leader].fetch(self.follower, offsets, self.on_response),
        )

    def on_response(self, counts):
        size = HEADER_BYTES + sum(counts.values()) * MESSAGE_BYTES

        def deliver():
            for partition, count in counts.items():
                self.offsets[partition] += count  # the follower appends
            self.start()

        self.cluster.network.send(self.leader, self.follower, size, deliver)


class Producer:
    def __init__(self, cluster, index, rng):
        self.cluster = cluster
        self.node = BROKERS + index
        self.rng = rng
        self.sticky = rng.randrange(PARTITIONS)
        self.open_batch = {}  # partition -> records in the batch being filled
        self.in_flight = {b: 0 for b in range(BROKERS)}
        self.acknowledged = 0
        self.sent = 0

    def arrivals(self):
        env = self.cluster.env
        while True:
            yield env.timeout(self.rng.expovariate(RATE_PER_S))
            self.send_one()

    def send_one(self):
        self.sent += 1
        if self.sticky not in self.open_batch:
            # A new batch: Kafka 2.4's sticky partitioner moves to another partition first.
            choices = [p for p in range(PARTITIONS) if p != self.sticky]
            self.sticky = self.rng.choice(choices)
        batch = self.open_batch.get(self.sticky, 0) + 1
        self.open_batch[self.sticky] = batch
        self.wake_sender()

    def wake_sender(self):
        for broker in range(BROKERS):
            if self.in_flight[broker] >= MAX_IN_FLIGHT:
                continue
            ready = [
                (p, n) for p, n in self.open_batch.items() if self.cluster.logs[p].leader == broker
            ]
            if not ready:
                continue
            for p, _ in ready:
                del self.open_batch[p]
            self.send_request(broker, ready)

    def send_request(self, broker, batches):
        self.in_flight[broker] += 1
        records = sum(n for _, n in batches)
        size = HEADER_BYTES + records * MESSAGE_BYTES
        network = self.cluster.network

        def respond():
            network.send(broker, self.node, HEADER_BYTES, lambda: self.on_response(broker, records))

        network.send(
            self.node,
            broker,
            size,
            lambda: self.cluster.brokers[broker].produce(self.node, batches, respond),
        )

    def on_response(self, broker, records):
        self.in_flight[broker] -= 1
        self.acknowledged += records
        self.wake_sender()


class Cluster:
    def __init__(self, seed):
        self.env = simpy.Environment()
        self.network = Network(self.env, BROKERS + PRODUCERS)
        self.brokers = [Broker(self, b) for b in range(BROKERS)]
        self.logs = []
        for p in range(PARTITIONS):
            replicas = [(p + i) % BROKERS for i in range(3)]
            self.logs.append(PartitionLog(replicas[0], replicas))
        self.fetchers = []
        for follower in range(BROKERS):
            for leader in range(BROKERS):
                parts = [
                    p
                    for p, log in enumerate(self.logs)
                    if log.leader == leader and follower in log.replicas and follower != leader
                ]
                if parts:
                    self.fetchers.append(Fetcher(self, follower, leader, parts))
        self.producers = [
            Producer(self, i, random.Random(seed * 1000 + i)) for i in range(PRODUCERS)
        ]

    def wake_fetches(self, log):
        parked, log.parked_fetches = log.parked_fetches, []
        for release in parked:
            release()

    def advance_hw(self, log):
        hw = min(log.leo[b] for b in log.replicas)
        if hw <= log.hw:
            return
        log.hw = hw
        still = []
        for end, done in log.parked_produces:
            if end <= hw:
                done()
            else:
                still.append((end, done))
        log.parked_produces = still

    def run(self, duration_s):
        for fetcher in self.fetchers:
            fetcher.start()
        for producer in self.producers:
            self.env.process(producer.arrivals())
        self.env.run(until=duration_s)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration-s", type=float, default=5.0, help="simulated seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cluster = Cluster(args.seed)
    begin = time.perf_counter()
    begin_cpu = time.process_time()
    cluster.run(args.duration_s)
    wall = time.perf_counter() - begin
    cpu = time.process_time() - begin_cpu
    sent = sum(p.sent for p in cluster.producers)
    acknowledged = sum(p.acknowledged for p in cluster.producers)
    print(f"simpy_version={simpy.__version__}")
    print(f"duration_s={args.duration_s:g}")
    print(f"messages={sent}")
    print(f"acknowledged={acknowledged}")
    print(f"wall_s={wall:.3f}")
    print(f"cpu_s={cpu:.3f}")
    print(f"peak_rss_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    print(f"messages_per_cpu_s={sent / cpu:.0f}")
    print(f"messages_per_wall_s={sent / wall:.0f}")


if __name__ == "__main__":
    main()
