#include "kafkasim/network/network.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <utility>

namespace kafkasim {

Network::Network(Engine& engine, Topology topology, std::uint64_t seed)
    : engine_(engine),
      topology_(std::move(topology)),
      actor_(engine.add_actor(*this)),
      endpoints_(topology_.endpoint_count()),
      timing_(topology_, seed),
      partitions_(endpoints_),
      delays_(endpoints_, seed),
      states_(endpoints_, NodeState::up),
      connections_(endpoints_ * endpoints_),
      directions_(endpoints_ * endpoints_) {
  slots_.reserve(1024);
  free_slots_.reserve(1024);
}

void Network::on_timer(TimerCookie /*cookie*/) {
  // The network posts plain events only; a timer for it is a programming error.
  std::abort();
}

std::size_t Network::held_now() const {
  return static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) {
    return s.queued && !s.event_pending && !s.waiting;
  }));
}

// --- Sending ------------------------------------------------------------------------------

std::uint32_t Network::send_slot(NodeId from, NodeId to, std::uint32_t bytes) {
  assert(from.value() < endpoints_ && to.value() < endpoints_ && "only endpoints send");
  const NodeState sender = states_[from.value()];
  if (sender == NodeState::crashed || sender == NodeState::powered_off) {
    ++counters_.dropped[static_cast<std::size_t>(DropReason::sender_down)];
    return kNoSlot;
  }
  Connection& c = connection(from, to);
  if (c.half_open && c.lost_side == from) replace_half_open(from, to);
  c.open = true;
  ++counters_.sent;
  direction(from, to).unread += bytes;
  return launch(from, to, bytes, SlotKind::message);
}

std::uint32_t Network::launch(NodeId from, NodeId to, std::uint32_t bytes, SlotKind kind) {
  const std::uint32_t slot = allocate_slot();
  Slot& s = slots_[slot];
  s.from = from;
  s.to = to;
  s.epoch = connection(from, to).epoch;
  s.bytes = bytes;
  s.kind = kind;
  if (partitions_.cut(from, to)) {
    // It cannot leave, but it must queue behind what is already in flight on its direction:
    // an event at the FIFO floor puts it in the held queue in send order.
    Direction& d = direction(from, to);
    d.last_arrival = std::max(engine_.now(), d.last_arrival);
    post(slot, d.last_arrival);
  } else {
    cross_path(slot);
  }
  return slot;
}

// The message crosses its route from now: link queues, latency draws, extra delays, and the
// FIFO floor of its direction (TCP delivers in order).
void Network::cross_path(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.timed = true;
  Direction& d = direction(s.from, s.to);
  const Instant arrival = timing_.traverse(topology_.route(s.from, s.to), s.bytes, engine_.now()) +
                          delays_.sample(s.from, s.to);
  d.last_arrival = std::max(arrival, d.last_arrival);
  post(slot, d.last_arrival);
}

void Network::post(std::uint32_t slot, Instant at) {
  slots_[slot].event_pending = true;
  engine_.post(at, actor_, slot);
}

std::uint32_t Network::allocate_slot() {
  if (free_slots_.empty()) {
    slots_.emplace_back();
    assert(slots_.size() < Engine::kTimerBit && "slot index must fit an event's data");
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  const std::uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void Network::free_slot(std::uint32_t slot) {
  slots_[slot] = Slot{};
  free_slots_.push_back(slot);
}

void Network::send_notice(NodeId from, NodeId to) {
  ++counters_.notices_sent;
  launch(from, to, 0, SlotKind::notice);
}

// --- Arriving -----------------------------------------------------------------------------

void Network::on_event(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.event_pending = false;
  if (s.discarded) {  // its connection was reset while it travelled; counted then
    free_slot(slot);
    return;
  }
  arrive(slot);
}

bool Network::blocked(const Slot& s) const {
  return !s.in_kernel && partitions_.cut(s.from, s.to);
}

// The checks run in the order a packet meets them: its connection, the path, the host, the
// socket, the process, then TCP's ordering.
void Network::arrive(std::uint32_t slot) {
  Slot& s = slots_[slot];
  const Connection& c = connection(s.from, s.to);
  if (s.epoch != c.epoch) {
    if (!on_replaced_connection(s, c)) return drop(slot, DropReason::connection_closed);
    // Sent on a half-open connection its rebooted peer replaced: the packet still crosses the
    // path, and the new kernel, which knows no such connection, answers RST. The new connection
    // is not touched.
    if (blocked(s)) return hold(slot);
    if (states_[s.to.value()] == NodeState::powered_off) {
      return drop(slot, DropReason::host_down);
    }
    const NodeId from = s.from;
    const NodeId to = s.to;
    drop(slot, DropReason::reset);
    return send_notice(to, from);
  }
  if (blocked(s)) return hold(slot);
  if (!s.timed) {  // held at send time, and the path is open now: it leaves now
    if (!s.queued) enqueue(slot);
    return cross_path(slot);
  }
  switch (states_[s.to.value()]) {
    case NodeState::powered_off:
      return drop(slot, DropReason::host_down);
    case NodeState::crashed:
      if (s.kind != SlotKind::message) return drop(slot, DropReason::refused);
      return answer_rst(slot, DropReason::refused);
    case NodeState::up:
    case NodeState::paused:
      break;
  }
  if (s.kind == SlotKind::message && c.half_open && c.lost_side == s.to) {
    return answer_rst(slot, DropReason::reset);
  }
  s.in_kernel = true;
  if (states_[s.to.value()] == NodeState::paused) return hold(slot);
  const Direction& d = direction(s.from, s.to);
  if (d.head != kNoSlot && d.head != slot) {  // an earlier message is held: wait behind it
    if (!s.queued) enqueue(slot);
    s.waiting = true;
    return;
  }
  deliver(slot);
}

void Network::deliver(std::uint32_t slot) {
  if (slots_[slot].queued) unlink(slot);
  const Slot s = slots_[slot];
  // Free before calling out: the endpoint may send, and the slot's payload is moved out first.
  free_slot(slot);
  switch (s.kind) {
    case SlotKind::message: {
      ++counters_.delivered;
      // Delivered is read, unless the receiver keeps it unread (keep_unread, from inside).
      Direction& d = direction(s.from, s.to);
      assert(d.unread >= s.bytes);
      d.unread -= s.bytes;
      const std::uint64_t after_read = d.unread;
      deliver_message(slot, s.from, s.to);
      if (d.unread < after_read + s.bytes) window_opened(s.from, s.to);
      break;
    }
    case SlotKind::notice:
      ++counters_.notices_delivered;
      deliver_disconnected(s.to, s.from);
      break;
    case SlotKind::room:
      deliver_writable(s.to, s.from);
      break;
  }
}

// --- Socket buffers -----------------------------------------------------------------------

void Network::keep_unread(NodeId reader, NodeId from, std::uint32_t bytes) {
  direction(from, reader).unread += bytes;
}

void Network::read_kept(NodeId reader, NodeId from, std::uint32_t bytes, std::uint32_t epoch) {
  if (connection(from, reader).epoch != epoch) return;  // that connection is gone, and its count
  Direction& d = direction(from, reader);
  assert(d.unread >= bytes);
  d.unread -= bytes;
  window_opened(from, reader);
}

void Network::wait_for_room(NodeId from, NodeId to) {
  direction(from, to).wants_room = true;
}

// The receiver's TCP acknowledges what its process read, and the ACK opens the sender's window:
// a waiting sender hears of it one path delay later (held like any packet by a cut or a pause).
void Network::window_opened(NodeId from, NodeId to) {
  Direction& d = direction(from, to);
  if (!d.wants_room) return;
  d.wants_room = false;
  launch(to, from, 0, SlotKind::room);
}

// The host's kernel refuses the message with RST: the connection is reset and the sender hears
// of it one path delay later (a round trip after it sent).
void Network::answer_rst(std::uint32_t slot, DropReason reason) {
  const NodeId from = slots_[slot].from;
  const NodeId to = slots_[slot].to;
  drop(slot, reason);
  reset_connection(from, to, DropReason::connection_closed);
  send_notice(to, from);
}

// The rebooted node, sending first to a peer that still holds the half-open connection of
// before the power loss, opens a new connection (a SYN from a fresh port: a new socket on both
// hosts). The peer's half-open socket is not told, but what the peer sent on it and has not
// arrived yet reaches the new kernel, which answers RST (on_replaced_connection): Kafka's
// Selector then sees "Connection reset by peer" and closes the channel, and NetworkClient fails
// its in-flight requests as disconnected (Selector.pollSelectionKeys, NetworkClient
// .handleDisconnections; a follower's ReplicaFetcherBlockingSend.sendRequest gets the IOException
// of NetworkClientUtils.sendAndReceive and backs off). Without this, a follower whose fetch left
// just as its restarted leader first sent to it waited replica.socket.timeout.ms (swarm chaos
// seed 20047).
void Network::replace_half_open(NodeId rebooted, NodeId peer) {
  Connection& c = connection(rebooted, peer);
  assert(c.half_open && c.lost_side == rebooted);
  // The peer's messages held at a partition are discarded with the old connection; each would
  // have been refused once it crossed, so the peer hears one RST after the cut heals.
  bool peer_held = false;
  for (std::uint32_t slot = direction(peer, rebooted).head; slot != kNoSlot;
       slot = slots_[slot].next) {
    peer_held = peer_held || slots_[slot].kind == SlotKind::message;
  }
  const std::uint32_t old_epoch = c.epoch;
  reset_connection(rebooted, peer, DropReason::connection_closed);
  c.replaced_epoch = old_epoch;
  if (peer_held) send_notice(rebooted, peer);
}

bool Network::on_replaced_connection(const Slot& s, const Connection& c) const {
  return s.kind == SlotKind::message && s.epoch == c.replaced_epoch && s.to == c.lost_side;
}

// --- Held queues --------------------------------------------------------------------------

void Network::hold(std::uint32_t slot) {
  Slot& s = slots_[slot];
  if (!s.queued) enqueue(slot);
  s.waiting = false;
  ++counters_.held;
}

void Network::enqueue(std::uint32_t slot) {
  Slot& s = slots_[slot];
  Direction& d = direction(s.from, s.to);
  s.queued = true;
  s.next = kNoSlot;
  if (d.tail == kNoSlot) {
    d.head = slot;
  } else {
    slots_[d.tail].next = slot;
  }
  d.tail = slot;
}

// Removes a slot from its direction's queue (usually the head; a linear walk otherwise, which
// only faults cause) and lets the next one go if it was waiting.
void Network::unlink(std::uint32_t slot) {
  Slot& s = slots_[slot];
  Direction& d = direction(s.from, s.to);
  const bool was_head = d.head == slot;
  std::uint32_t previous = kNoSlot;
  for (std::uint32_t at = d.head; at != slot; at = slots_[at].next)
    previous = at;
  if (previous == kNoSlot) {
    d.head = s.next;
  } else {
    slots_[previous].next = s.next;
  }
  if (d.tail == slot) d.tail = previous;
  s.queued = false;
  s.waiting = false;
  s.next = kNoSlot;
  if (was_head) advance(d);
}

void Network::advance(Direction& d) {
  if (d.head == kNoSlot || !slots_[d.head].waiting) return;
  slots_[d.head].waiting = false;
  post(d.head, engine_.now());
}

// Lets every held slot of from->to whose blocker is gone move on: across the path afresh if it
// was held before reaching the host, into the process at once if it waited in the kernel.
void Network::release(NodeId from, NodeId to) {
  const Direction& d = direction(from, to);
  for (std::uint32_t slot = d.head; slot != kNoSlot; slot = slots_[slot].next) {
    Slot& s = slots_[slot];
    if (s.event_pending || s.waiting) continue;
    if (s.in_kernel) {
      if (states_[to.value()] != NodeState::paused) post(slot, engine_.now());
    } else if (!partitions_.cut(from, to)) {
      cross_path(slot);
    }
  }
}

// --- Dropping -----------------------------------------------------------------------------

// Drops a slot whose event is running (so none is pending).
void Network::drop(std::uint32_t slot, DropReason reason) {
  if (slots_[slot].queued) unlink(slot);
  discard(slot, reason);
}

// Drops a slot whatever it is doing; one with an event pending is freed when the event fires.
void Network::discard(std::uint32_t slot, DropReason reason) {
  Slot& s = slots_[slot];
  if (s.kind == SlotKind::message) {
    ++counters_.dropped[static_cast<std::size_t>(reason)];
    discard_payload(slot);
  } else {
    ++counters_.notices_dropped;
  }
  if (s.event_pending) {
    s.discarded = true;
  } else {
    free_slot(slot);
  }
}

// Closes the connection between a and b: a new epoch makes everything in flight on it stale,
// and what is held on it, either way, is discarded now.
void Network::reset_connection(NodeId a, NodeId b, DropReason reason) {
  Connection& c = connection(a, b);
  ++c.epoch;
  c.open = false;
  c.half_open = false;
  const auto wipe = [&](Direction& d) {
    d.unread = 0;  // a new connection starts with empty buffers
    d.wants_room = false;
    std::uint32_t slot = d.head;
    d.head = d.tail = kNoSlot;
    while (slot != kNoSlot) {
      const std::uint32_t next = slots_[slot].next;
      slots_[slot].queued = false;
      slots_[slot].waiting = false;
      slots_[slot].next = kNoSlot;
      discard(slot, reason);
      slot = next;
    }
  };
  wipe(direction(a, b));
  if (a != b) wipe(direction(b, a));
}

// --- Faults -------------------------------------------------------------------------------

PartitionHandle Network::partition(const std::vector<std::vector<NodeId>>& sides) {
  return partitions_.add(sides);
}

void Network::heal(PartitionHandle partition) {
  if (!partitions_.heal(partition)) return;
  for (std::uint32_t from = 0; from < endpoints_; ++from) {
    for (std::uint32_t to = 0; to < endpoints_; ++to) {
      if (direction(NodeId(from), NodeId(to)).head != kNoSlot) release(NodeId(from), NodeId(to));
    }
  }
}

DelayHandle Network::add_delay(std::span<const NodeId> targets, const Dist& extra_ms) {
  return delays_.add_touching(targets, extra_ms);
}

DelayHandle Network::add_delay_between(NodeId a, NodeId b, const Dist& extra_ms) {
  return delays_.add_between(a, b, extra_ms);
}

void Network::end_delay(DelayHandle delay) {
  delays_.end(delay);
}

void Network::crash(NodeId node, CrashKind kind) {
  NodeState& state = states_[node.value()];
  if (state != NodeState::up && state != NodeState::paused) return;
  state = kind == CrashKind::process ? NodeState::crashed : NodeState::powered_off;
  for (std::uint32_t p = 0; p < endpoints_; ++p) {
    const NodeId peer(p);
    Connection& c = connection(node, peer);
    const bool was_open = c.open && peer != node;
    // A peer still holding a half-open socket from this node's earlier power loss keeps it.
    const bool peer_half_open = c.half_open && c.lost_side == node;
    reset_connection(node, peer, DropReason::connection_closed);
    if (kind == CrashKind::process && was_open) send_notice(node, peer);  // RST from the host
    if ((kind == CrashKind::power_loss && was_open) || peer_half_open) {
      c.half_open = true;  // the peer's kernel still believes in it; nobody tells it otherwise
      c.lost_side = node;
    }
  }
}

void Network::restart(NodeId node) {
  NodeState& state = states_[node.value()];
  if (state == NodeState::crashed || state == NodeState::powered_off) state = NodeState::up;
}

void Network::pause(NodeId node) {
  NodeState& state = states_[node.value()];
  if (state == NodeState::up) state = NodeState::paused;
}

void Network::resume(NodeId node) {
  NodeState& state = states_[node.value()];
  if (state != NodeState::paused) return;
  state = NodeState::up;
  for (std::uint32_t from = 0; from < endpoints_; ++from)
    release(NodeId(from), node);
}

void Network::disconnect(NodeId from, NodeId to) {
  Connection& c = connection(from, to);
  if (!c.open && !c.half_open) return;
  const bool was_open = c.open;
  reset_connection(from, to, DropReason::connection_closed);
  if (was_open && from != to) send_notice(from, to);  // the FIN
}

}  // namespace kafkasim
