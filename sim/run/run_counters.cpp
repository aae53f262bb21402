#include "kafkasim/run/run_counters.h"

#include <algorithm>
#include <cassert>

namespace kafkasim {

RunCounters::RunCounters(const ClusterLayout& layout, std::size_t producers, Instant scenario_start)
    : layout_(layout),
      producers_(producers),
      scenario_start_(scenario_start),
      leaders_(layout.all_partitions().size(), kNoBroker),
      broker_up_(layout.brokers.size(), true),
      offline_since_(leaders_.size(), Instant::start()) {}

void RunCounters::on_first_acknowledgement(ProducerIndex producer, Duration latency) {
  ++acknowledged_;
  latency_.record(latency);
  if (!intervals_.empty()) {
    ProducerInterval& interval = intervals_[producer.value()];
    ++interval.acknowledged;
    interval.latency.record(latency);
  }
}

void RunCounters::enable_intervals() {
  intervals_.resize(producers_);
}

ProducerInterval& RunCounters::interval(ProducerIndex producer) {
  assert(producer.value() < intervals_.size() && "enable_intervals() first");
  return intervals_[producer.value()];
}

void RunCounters::on_isr_change(BrokerId /*leader*/, TopicPartition /*tp*/,
                                const std::vector<BrokerId>& old_isr,
                                const std::vector<BrokerId>& new_isr, Instant now) {
  if (now < scenario_start_) return;
  // The leader's own changes only (Kafka's IsrShrinksPerSec, IsrExpandsPerSec).
  (new_isr.size() < old_isr.size() ? isr_shrinks_ : isr_expands_) += 1;
}

void RunCounters::on_leader_election(BrokerId /*controller*/, TopicPartition tp, BrokerId leader,
                                     LeaderEpoch /*epoch*/, const std::vector<BrokerId>& /*isr*/,
                                     ElectionKind kind, const std::string& /*why*/, Instant now) {
  const std::size_t index = layout_.partition_index(tp);
  leaders_[index] = leader;
  // Only this partition's leader changed: the others' offline state stands (a scan of every
  // partition per election made a cluster's first elections quadratic in its partitions).
  update_offline(index, now);
  if (now < scenario_start_) return;
  if (kind != ElectionKind::none_available) ++leader_elections_;
  if (kind == ElectionKind::unclean) ++unclean_leader_elections_;
}

void RunCounters::on_controller_isr_removal(BrokerId /*controller*/, TopicPartition /*tp*/,
                                            const std::vector<BrokerId>& removed, Instant now) {
  // One per replica the controller took out of one partition's ISR: the ISR changes that
  // isr_shrinks, the leaders' own, does not count.
  if (now >= scenario_start_) controller_isr_removals_ += removed.size();
}

void RunCounters::on_controller_elected(BrokerId /*controller*/, ControllerEpoch /*epoch*/,
                                        Instant now) {
  if (now >= scenario_start_) ++controller_elections_;
}

void RunCounters::on_broker_up(BrokerId broker, bool up, Instant now) {
  broker_up_[layout_.broker_position(broker)] = up;
  update_offline(now);
}

void RunCounters::update_offline(Instant now) {
  for (std::size_t i = 0; i < leaders_.size(); ++i)
    update_offline(i, now);
}

void RunCounters::update_offline(std::size_t i, Instant now) {
  const BrokerId leader = leaders_[i];
  const bool online = leader != kNoBroker && broker_up_[layout_.broker_position(leader)];
  if (online && offline_since_[i] != Instant::never()) {
    const Instant from = std::max(offline_since_[i], scenario_start_);
    if (now > from) offline_total_ += now - from;
    offline_since_[i] = Instant::never();
  } else if (!online && offline_since_[i] == Instant::never()) {
    offline_since_[i] = now;
  }
}

void RunCounters::finish(Instant end, RunResult& result) {
  update_offline(end);
  for (Instant& since : offline_since_) {
    if (since == Instant::never()) continue;
    const Instant from = std::max(since, scenario_start_);
    if (end > from) offline_total_ += end - from;
    since = end;
  }
  result.produced = produced_;
  result.acknowledged = acknowledged_;
  result.failed = failed_;
  result.abandoned = abandoned_;
  result.pending = pending();
  result.latency = {
      latency_.mean_ms(),           latency_.percentile_ms(0.50),  latency_.percentile_ms(0.90),
      latency_.percentile_ms(0.99), latency_.percentile_ms(0.999), to_ms(latency_.max())};
  result.latency_buckets = latency_.buckets();
  result.offline_ms = to_ms(offline_total_);
  result.leader_elections = leader_elections_;
  result.unclean_leader_elections = unclean_leader_elections_;
  result.controller_elections = controller_elections_;
  result.isr_shrinks = isr_shrinks_;
  result.isr_expands = isr_expands_;
  result.controller_isr_removals = controller_isr_removals_;
}

}  // namespace kafkasim
