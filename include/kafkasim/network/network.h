// The network: the one place that applies delay, order, partitions and crashes between actors
// (STYLE.md 4). This is its non-template core; Transport<Message> (transport.h) adds the
// payloads and the endpoints, and is what the cluster model sends through. The fault layer
// drives the fault methods below through a Network&.
//
// Connections. Kafka talks over TCP, so the network keeps a connection per unordered pair of
// endpoints, opened by the first message either way. It is FIFO per direction: messages from A
// to B arrive in the order A sent them, whatever the latency draws (an arrival is never earlier
// than the previous arrival on A->B; equal times keep send order through the engine's sequence
// numbers). Each connection has an epoch, bumped whenever it is closed or reset (disconnect,
// crash, a refused or reset message); a message carries the epoch it was sent on and is
// dropped if the epoch is stale when it arrives. One connection per pair stands for the several
// sockets real Kafka keeps (a follower's fetcher, the controller's channel, the other way
// round): closing it affects all of them, and both ends are told.
//
// What an endpoint is told: on_disconnected(peer) means "your connection with peer is gone:
// nothing you sent on it and no answer to it will arrive; fail what is outstanding, as Kafka's
// NetworkClient does, and reconnect by sending again". It can come more than once for one
// failure (a crash notice, then a refusal of a message sent before the notice arrived), and a
// message sent in the last one-way delay before it may still be answered, so match answers to
// requests (Kafka's correlation id) and ignore the unknown ones.
//
// Faults (SPEC.md "faults"):
//  - partition/heal: a message that cannot pass, because it is sent while the pair is cut or
//    arrives while it is, is held on its connection (TCP keeps retransmitting) and, once the
//    path heals, crosses the path afresh from the heal time (new latency draws), in order.
//    disconnect() discards it first. The sender learns nothing from a partition itself.
//    Simplified away: TCP's retransmission back-off (a held message arrives one path delay
//    after the heal, not at the next retransmission) and its own give-up after ~15 min
//    (tcp_retries2): Kafka's request timeouts are far shorter.
//  - delay: extra one-way delays; see extra_delays.h.
//  - crash(process): the process dies, the host stays up. Every connection touching the node is
//    reset: what is in flight or held to or from it is dropped, and each peer whose connection
//    with it was open is told on_disconnected(node) one path delay later (the host's kernel sends
//    RST when the process dies). A message that reaches the node while it is down is dropped
//    and the host answers RST: the sender is told after a round trip (connection refused).
//  - crash(power_loss): the host is down. Messages to it vanish, nobody is told anything (peers
//    find out by their own timeouts). The connections that were open stay half-open on the
//    peer's side: after the host restarts, a message the peer sends on one is dropped and the
//    peer told after a round trip (the new kernel answers RST). If the rebooted node sends to
//    that peer first, its new connection replaces the half-open one: a message the peer sent on
//    the old one and that has not arrived yet (in flight, or held at a partition) meets the new
//    kernel all the same, which answers RST, and the peer is told a round trip after it sent
//    (replaced_epoch). A request the old host had read before it lost power stays unanswered:
//    the peer learns of it by its request timeout.
//  - restart: the node is back with no connections. A message sent to it while it was down
//    that arrives after the restart is delivered: it opens a fresh connection (a SYN that
//    reaches a live process succeeds).
//  - pause: a GC pause or stuck process. Its kernel still accepts data, so messages to it are
//    held and delivered in order, at once, when it resumes. A paused node sends nothing because
//    its code does not run; the network does not check. Its timers are the engine's business:
//    the fault layer calls Engine::pause/resume as well as these.
// Each fault method may be called from inside any event (the fault layer's timers).
//
// Socket buffers (TCP's window). Each direction counts the bytes its sender has written on the
// current connection that the receiving process has not read: in flight, held, or kept unread
// in the receiver's socket (a broker leaves the requests of a muted channel there: Kafka's
// SocketServer reads one request per connection at a time, kafka/socket_server.h). Delivery
// reads a message unless the receiver says it keeps it (keep_unread) and reads it later
// (read_kept). A sender that finds the count above what its buffers hold (its send buffer plus
// the receiver's receive buffer) waits: wait_for_room asks to be told, by Endpoint::on_writable
// one path delay after the count next drops (the ACK that opens the window). A reset connection
// starts from zero.
//
// Speed: no allocation per message in steady state (slots are pooled), no std::function, routes
// precomputed, per-pair state in flat vectors indexed by NodeId, one engine event per delivery.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kafkasim/core/strong_id.h"
#include "kafkasim/core/time.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/network/extra_delays.h"
#include "kafkasim/network/link_timing.h"
#include "kafkasim/network/network_counters.h"
#include "kafkasim/network/partitions.h"
#include "kafkasim/network/topology.h"
#include "kafkasim/random/distribution.h"

namespace kafkasim {

/// A node's life as the network sees it.
enum class NodeState : std::uint8_t { up, paused, crashed, powered_off };

/// How a node goes down: its process only, or its whole host (unflushed data lost, no RST).
enum class CrashKind : std::uint8_t { process, power_loss };

class Network : public Actor {
 public:
  /// Registers the network with the engine as an actor. `seed` is the run's seed: every link and
  /// every extra delay draws from its own stream under it.
  Network(Engine& engine, Topology topology, std::uint64_t seed);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  ~Network() override = default;

  const Topology& topology() const { return topology_; }
  Engine& engine() { return engine_; }
  NodeState state(NodeId node) const { return states_[node.value()]; }
  /// Whether a message was sent between a and b since their connection was last closed.
  bool connected(NodeId a, NodeId b) const { return connection(a, b).open; }
  const NetworkCounters& counters() const { return counters_; }
  /// Messages and notices held right now (at a partition or by a paused node).
  std::size_t held_now() const;
  /// Slots in use: messages and notices in flight or held.
  std::size_t in_flight() const { return slots_.size() - free_slots_.size(); }

  // --- Faults ---------------------------------------------------------------------------------
  /// Cuts the endpoints of different sides apart until heal(). Throws std::invalid_argument for a
  /// node on two sides or a switch.
  PartitionHandle partition(const std::vector<std::vector<NodeId>>& sides);
  /// Ends a partition; messages it held cross now if nothing else blocks them. An unknown or
  /// healed handle is ignored.
  void heal(PartitionHandle partition);
  /// Extra delay on every message to or from any target, drawn per message, until end_delay().
  DelayHandle add_delay(std::span<const NodeId> targets, const Dist& extra_ms);
  /// Extra delay on every message between a and b, either way, until end_delay().
  DelayHandle add_delay_between(NodeId a, NodeId b, const Dist& extra_ms);
  /// Messages already sent keep the delay they drew. An unknown or ended handle is ignored.
  void end_delay(DelayHandle delay);
  /// The node's process (or host, with power_loss) goes down. Ignored unless it is up or paused.
  void crash(NodeId node, CrashKind kind);
  /// A crashed node comes back, with no connections. Ignored unless it is down.
  void restart(NodeId node);
  /// Ignored unless the node is up.
  void pause(NodeId node);
  /// Messages held for the node are delivered now, in order. Ignored unless it is paused.
  void resume(NodeId node);

  // --- Connections ----------------------------------------------------------------------------
  /// The current connection between a and b: a reset makes a new one, with a new epoch.
  std::uint32_t connection_epoch(NodeId a, NodeId b) const { return connection(a, b).epoch; }
  /// Bytes `from` wrote to `to` on their current connection that `to`'s process has not read.
  std::uint64_t unread_bytes(NodeId from, NodeId to) const {
    return directions_[from.value() * endpoints_ + to.value()].unread;
  }
  /// `reader`, being delivered a message of `bytes` from `from`, leaves it unread in its socket.
  void keep_unread(NodeId reader, NodeId from, std::uint32_t bytes);
  /// `reader` reads now a message it kept, delivered on connection `epoch` (ignored if that
  /// connection is gone): the window opens by `bytes`.
  void read_kept(NodeId reader, NodeId from, std::uint32_t bytes, std::uint32_t epoch);
  /// `from` cannot write more to `to` until the unread bytes drop: it is told
  /// (Endpoint::on_writable) one path delay after they next do. Nothing if the connection resets.
  void wait_for_room(NodeId from, NodeId to);
  /// `from` closes its connection with `to`, as a Kafka client does when a request times out:
  /// what is held or in flight on it, either way, is discarded, and `to` is told
  /// on_disconnected(from) when the FIN reaches it (one path delay; held while cut). Nothing
  /// happens if the connection is not open.
  void disconnect(NodeId from, NodeId to);

 protected:
  static constexpr std::uint32_t kNoSlot = 0xffffffffu;

  /// Sends a message of `bytes` from `from` to `to` now and returns the slot that will carry
  /// it, for the caller to store the payload under; kNoSlot when the sender is down (dropped).
  /// Never delivers anything synchronously (it may discard the payloads of older messages
  /// through discard_payload). Preconditions: both are endpoints; from == to is loopback.
  std::uint32_t send_slot(NodeId from, NodeId to, std::uint32_t bytes);

  /// The message in `slot` arrives at `to`. The slot is already free again, so the subclass
  /// must move the payload out before running any code that may send.
  virtual void deliver_message(std::uint32_t slot, NodeId from, NodeId to) = 0;
  /// `node` learns that its connection with `peer` is gone.
  virtual void deliver_disconnected(NodeId node, NodeId peer) = 0;
  /// `node` may write to `peer` again: the unread bytes it waited on dropped.
  virtual void deliver_writable(NodeId node, NodeId peer) = 0;
  /// The message in `slot` will never be delivered: release its payload.
  virtual void discard_payload(std::uint32_t slot) = 0;

 private:
  /// A message; a notice that the connection is gone; a window update (room to write).
  enum class SlotKind : std::uint8_t { message, notice, room };
  /// A message or notice in flight or held. The queue fields make each direction's held and
  /// waiting slots an intrusive FIFO list, so holding allocates nothing.
  struct Slot {
    NodeId from;
    NodeId to;
    std::uint32_t epoch = 0;
    std::uint32_t bytes = 0;
    std::uint32_t next = kNoSlot;  // the next slot in its direction's queue
    SlotKind kind = SlotKind::message;
    bool timed = false;          // has crossed (or is crossing) the path; false if held at send
    bool in_kernel = false;      // reached the destination host (held only by a pause)
    bool event_pending = false;  // an engine event for it is queued
    bool queued = false;         // in its direction's queue (held, released or waiting)
    bool waiting = false;        // queued, free to go, behind an earlier message
    bool discarded = false;      // thrown away while its event was pending: free when it fires
  };
  /// Per unordered pair, at [min*E + max].
  struct Connection {
    std::uint32_t epoch = 0;
    bool open = false;
    /// After a power loss of `lost_side`, the other side still believes the connection open.
    bool half_open = false;
    NodeId lost_side;
    /// The epoch of the half-open connection that the rebooted `lost_side` replaced by sending
    /// first (kNoEpoch if none): the other side's messages still on it are answered RST.
    std::uint32_t replaced_epoch = kNoEpoch;
  };
  static constexpr std::uint32_t kNoEpoch = 0xffffffffu;
  /// Per ordered pair, at [from*E + to].
  struct Direction {
    Instant last_arrival;  // the latest arrival scheduled on it: the FIFO floor
    std::uint32_t head = kNoSlot;
    std::uint32_t tail = kNoSlot;
    std::uint64_t unread = 0;  // bytes written on the connection, not read by the receiver
    bool wants_room = false;   // the sender waits for the window to open (wait_for_room)
  };

  void on_timer(TimerCookie cookie) override;
  void on_event(std::uint32_t slot) override;

  std::size_t pair_index(NodeId a, NodeId b) const {
    return a < b ? a.value() * endpoints_ + b.value() : b.value() * endpoints_ + a.value();
  }
  Connection& connection(NodeId a, NodeId b) { return connections_[pair_index(a, b)]; }
  const Connection& connection(NodeId a, NodeId b) const { return connections_[pair_index(a, b)]; }
  Direction& direction(NodeId from, NodeId to) {
    return directions_[from.value() * endpoints_ + to.value()];
  }

  std::uint32_t launch(NodeId from, NodeId to, std::uint32_t bytes, SlotKind kind);
  std::uint32_t allocate_slot();
  void free_slot(std::uint32_t slot);
  void post(std::uint32_t slot, Instant at);
  void cross_path(std::uint32_t slot);
  void arrive(std::uint32_t slot);
  void deliver(std::uint32_t slot);
  void hold(std::uint32_t slot);
  void enqueue(std::uint32_t slot);
  void unlink(std::uint32_t slot);
  void advance(Direction& direction);
  void drop(std::uint32_t slot, DropReason reason);
  void discard(std::uint32_t slot, DropReason reason);
  void reset_connection(NodeId a, NodeId b, DropReason reason);
  void answer_rst(std::uint32_t slot, DropReason reason);
  void replace_half_open(NodeId rebooted, NodeId peer);
  bool on_replaced_connection(const Slot& slot, const Connection& connection) const;
  void send_notice(NodeId from, NodeId to);
  /// The unread bytes of from->to dropped: a waiting sender gets its window update.
  void window_opened(NodeId from, NodeId to);
  void release(NodeId from, NodeId to);
  bool blocked(const Slot& slot) const;

  Engine& engine_;
  Topology topology_;
  ActorId actor_;
  std::size_t endpoints_;
  LinkTiming timing_;
  PartitionSet partitions_;
  ExtraDelays delays_;
  std::vector<NodeState> states_;
  std::vector<Connection> connections_;
  std::vector<Direction> directions_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  NetworkCounters counters_;
};

}  // namespace kafkasim
