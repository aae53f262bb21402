// The network for one message type: Network (the timing, ordering and fault core) plus the
// payloads in flight and the endpoint of each node. The cluster model's closed std::variant of
// messages is `Message`; the network never looks inside one, it only needs the size in bytes.
//
//   Transport<KafkaMessage> net(engine, Topology::build(nodes, spec), seed);
//   net.attach(broker_1, broker_1_actor);            // every endpoint that can receive
//   net.send(producer, broker_1, ProduceRequest{...}, 1024);
//
// Payloads live in a pool of slots indexed like Network's slots: a vector that grows to the
// largest number of messages ever in flight at once and is reused, so a send allocates nothing
// in steady state (a payload's own members aside). Each delivery is one engine event whose data
// is the slot index.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "kafkasim/network/endpoint.h"
#include "kafkasim/network/network.h"

namespace kafkasim {

/// Sees every message a transport carries, for a recorder (the --trace of a run); it must only
/// read. Unset, the transport pays one null test per send and per delivery.
template <class Message>
class TransportTap {
 public:
  virtual ~TransportTap() = default;
  /// `from` sends `message` to `to`, now (it may yet be lost to a fault).
  virtual void on_send(NodeId from, NodeId to, const Message& message) = 0;
  /// `message`, sent by `from`, reaches `to` now.
  virtual void on_deliver(NodeId from, NodeId to, const Message& message) = 0;
};

template <class Message>
class Transport final : public Network {
 public:
  Transport(Engine& engine, Topology topology, std::uint64_t seed)
      : Network(engine, std::move(topology), seed),
        endpoints_(this->topology().endpoint_count(), nullptr) {
    payloads_.reserve(1024);
  }

  /// Sets the endpoint that receives what is sent to `node`. It must outlive the transport or
  /// be replaced first (a restarted broker may attach a fresh object).
  void attach(NodeId node, Endpoint<Message>& endpoint) { endpoints_[node.value()] = &endpoint; }

  /// Sets (or, with nullptr, removes) the tap that sees every message.
  void set_tap(TransportTap<Message>* tap) { tap_ = tap; }

  /// Sends `message`, `bytes` long on the wire, from `from` to `to`, now. It arrives after the
  /// route's delay unless a fault intervenes (see network.h); the sender is never told of a
  /// plain loss. Preconditions: both are endpoints and `to` has an endpoint attached.
  void send(NodeId from, NodeId to, Message message, std::uint32_t bytes) {
    if (tap_ != nullptr) tap_->on_send(from, to, message);
    const std::uint32_t slot = send_slot(from, to, bytes);
    if (slot == kNoSlot) return;
    if (slot >= payloads_.size()) payloads_.resize(slot + 1);
    payloads_[slot].emplace(std::move(message));
  }

 private:
  void deliver_message(std::uint32_t slot, NodeId from, NodeId to) override {
    // Moved out first: the endpoint may send, and its send may reuse this slot.
    Message message = std::move(*payloads_[slot]);
    payloads_[slot].reset();
    if (tap_ != nullptr) tap_->on_deliver(from, to, message);
    endpoint(to).on_message(from, std::move(message));
  }

  void deliver_disconnected(NodeId node, NodeId peer) override {
    endpoint(node).on_disconnected(peer);
  }

  void deliver_writable(NodeId node, NodeId peer) override { endpoint(node).on_writable(peer); }

  void discard_payload(std::uint32_t slot) override { payloads_[slot].reset(); }

  Endpoint<Message>& endpoint(NodeId node) {
    Endpoint<Message>* attached = endpoints_[node.value()];
    if (attached == nullptr) {
      throw std::logic_error("network: no endpoint attached to " + topology().name(node));
    }
    return *attached;
  }

  std::vector<std::optional<Message>> payloads_;
  std::vector<Endpoint<Message>*> endpoints_;
  TransportTap<Message>* tap_ = nullptr;
};

}  // namespace kafkasim
