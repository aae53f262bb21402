// A node's process: the one lifecycle that every node kind (broker, ZooKeeper, producer,
// consumer) shares.
//
// A process owns its node's engine actor and network identity, and does what is the same for
// every kind, for the engine (timers, events held by a pause) and the network (connections,
// messages held by a pause) together:
//   start    the process runs (again): the engine delivers its events, the network its messages;
//   crash    the process dies (CrashKind::process: peers see the connections reset) or its host
//            loses power (CrashKind::power_loss: no RST, unflushed data gone): its timers and
//            held events are dropped, and so is what was in its memory;
//   pause    a long GC pause or a stuck disk: its events and messages wait, in order;
//   resume   what waited is delivered now, in the order it came due.
// What a kind does beyond that (recover its logs, forget its groups, ...) it says in on_start
// and on_crash. Nothing else calls Engine::stop/restart/pause/resume or Network::crash/restart/
// pause/resume for a node, so a fault is one call on a Process whatever the node is.
#pragma once

#include "kafkasim/core/strong_id.h"
#include "kafkasim/engine/engine.h"
#include "kafkasim/network/network.h"

namespace kafkasim {

class Process;

/// Told when a process stops: a crash, a power loss, or the end of an orderly shutdown.
class ProcessListener {
 public:
  virtual ~ProcessListener() = default;
  virtual void on_process_stopped(Process& process) = 0;
};

class Process : public Actor {
 public:
  /// Whether the process runs from the beginning of the run or waits for start().
  enum class Initially : std::uint8_t {
    up,
    /// Down until start(); its actor still takes the timer that will call start() (a client
    /// whose start time the scenario gives).
    down,
    /// Down until start(), and nothing of it runs before: the engine holds no timer for it.
    stopped,
  };

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  NodeId node() const { return node_; }
  ActorId actor() const { return actor_; }
  bool is_up() const { return up_; }

  /// The process starts, or starts again after a crash or a shutdown. Ignored when up.
  void start();
  /// The process (or its host) dies now. Ignored when down.
  void crash(CrashKind kind);
  /// The process freezes: nothing it would receive or do happens until resume(). A paused
  /// process is still up: a crash fault during a pause crashes it.
  void pause();
  /// What came due during the pause happens now, in order.
  void resume();
  /// A shutdown fault: the kind's orderly stop (a broker's controlled shutdown, a consumer's
  /// close). Only kinds the scenario's validation allows as a shutdown target override it.
  virtual void shutdown();
  /// Sets (or, with nullptr, removes) who is told when the process stops.
  void set_listener(ProcessListener* listener) { listener_ = listener; }

 protected:
  Process(Engine& engine, Network& network, NodeId node, Initially initially);
  ~Process() override = default;

  /// After the engine and the network have the process running again.
  virtual void on_start() = 0;
  /// After the network has crashed the node and the engine has dropped its timers.
  virtual void on_crash(CrashKind kind) = 0;
  /// The end of an orderly shutdown: the process stops as a crash would stop it, but what it
  /// has sent stays on its way and its connections close only when its peers notice.
  void stop();

  Engine& engine() const { return engine_; }
  Instant now() const { return engine_.now(); }

 private:
  Engine& engine_;
  Network& network_;
  NodeId node_;
  ActorId actor_;
  bool up_;
  ProcessListener* listener_ = nullptr;
};

}  // namespace kafkasim
