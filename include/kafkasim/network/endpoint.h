// What a node of the cluster model (a broker, ZooKeeper, a producer, a consumer) implements to
// receive from the network. The network calls it from its own engine events, never from inside
// a send, and never while the node is paused or down.
#pragma once

#include "kafkasim/core/strong_id.h"

namespace kafkasim {

template <class Message>
class Endpoint {
 public:
  virtual ~Endpoint() = default;

  /// A message from `from` has arrived; messages from one sender arrive in the order it sent
  /// them. The endpoint owns `message` and may send from inside this call.
  virtual void on_message(NodeId from, Message&& message) = 0;

  /// The connection with `peer` is gone: nothing sent on it, and no answer to it, will arrive.
  /// Fail what is outstanding to `peer` (Kafka's NetworkClient: a disconnection fails the
  /// in-flight requests) and send again to reconnect. It may come twice for one failure, and an
  /// answer to a request sent shortly before it may still arrive: match answers to requests by
  /// correlation id, as Kafka does, and ignore the unknown. See network.h.
  virtual void on_disconnected(NodeId peer) = 0;

  /// The socket buffers toward `peer` have room again (it asked: Network::wait_for_room). Only
  /// a writer that can fill them (a producer) asks; the others never hear this.
  virtual void on_writable(NodeId /*peer*/) {}
};

}  // namespace kafkasim
