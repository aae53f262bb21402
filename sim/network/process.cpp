// The lifecycle every node kind shares (process.h).
#include "kafkasim/network/process.h"

#include <cassert>

namespace kafkasim {

Process::Process(Engine& engine, Network& network, NodeId node, Initially initially)
    : engine_(engine),
      network_(network),
      node_(node),
      actor_(engine.add_actor(*this)),
      up_(initially == Initially::up) {
  if (initially == Initially::stopped) engine_.stop(actor_);
}

void Process::start() {
  if (up_) return;
  up_ = true;
  // Both calls leave a running actor or a live node as they are: a client that was never up
  // has a running actor (it took the timer that starts it) and a node the network thinks up.
  engine_.restart(actor_);
  network_.restart(node_);
  on_start();
}

void Process::crash(CrashKind kind) {
  if (!up_) return;
  up_ = false;
  network_.crash(node_, kind);
  engine_.stop(actor_);
  on_crash(kind);
  if (listener_ != nullptr) listener_->on_process_stopped(*this);
}

void Process::pause() {
  assert(up_ && "a pause fault on a process that is down");
  engine_.pause(actor_);
  network_.pause(node_);
}

void Process::resume() {
  // The network first: the messages held for the node are queued (at now) before the timers
  // that came due meanwhile, so the process handles the held messages first.
  network_.resume(node_);
  engine_.resume(actor_);
}

void Process::shutdown() {
  assert(false && "a shutdown fault on a node kind that has no orderly shutdown");
}

void Process::stop() {
  assert(up_);
  up_ = false;
  engine_.stop(actor_);
  if (listener_ != nullptr) listener_->on_process_stopped(*this);
}

}  // namespace kafkasim
