// The event mix of a run (`kafkasim bench mix`): what the engine schedules — timers and the
// network's deliveries, how far ahead, how many timers are cancelled before they fire, how many
// records wait — which is what an event queue for this simulator must be fast at
// (docs/benchmarks.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "kafkasim/engine/engine.h"

namespace kafkasim {

class EventMix final : public ScheduleObserver {
 public:
  /// Delay classes: 0, then decades from 1 µs to 10 s, then longer.
  static constexpr int kClasses = 10;
  static const std::array<const char*, kClasses> kClassNames;

  void on_schedule(Instant now, const Event& event, std::size_t pending) override;
  void on_cancel(Instant now, std::uint64_t seq) override;

  /// The mix as a text table.
  std::string report() const;

 private:
  struct Kind {
    std::uint64_t count = 0;
    std::array<std::uint64_t, kClasses> by_class{};
    std::unordered_map<std::int64_t, std::uint64_t> by_delay;  // exact delays, ns
  };
  static int class_of(std::int64_t delay_ns);

  Kind timers_;
  Kind posts_;
  std::uint64_t cancelled_ = 0;
  std::array<std::uint64_t, kClasses> cancelled_by_class_{};
  std::vector<std::uint8_t> timer_class_by_seq_;  // kClasses: not a timer
  std::uint64_t pending_sum_ = 0;
  std::size_t pending_max_ = 0;
};

}  // namespace kafkasim
