// The table of simulated Kafka settings: name -> JSON type, range, typed field. Defaults live
// in the structs' member initializers (broker_config.h, ...), each next to its Kafka source;
// the table reads them from a default-constructed struct, so there is one default per setting.
// Ranges are Kafka's ConfigDef validators (atLeast, between, in); where Kafka has none and
// the setting is the period of a repeating timer, the range starts at 1 so the simulation
// cannot spin at one instant.
#include <limits>

#include "config_entries.h"

namespace kafkasim::scenario_detail {

namespace {
constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kLongMax = std::numeric_limits<std::int64_t>::max();

using B = BrokerConfig;
using T = TopicConfig;
using P = ProducerConfig;
using K = ConsumerConfig;
}  // namespace

// core/src/main/scala/kafka/server/KafkaConfig.scala (configDef), 2.4.0.
const std::vector<Entry<B>>& broker_entries() {
  static const std::vector<Entry<B>> entries{
      {"min.insync.replicas", 1, kIntMax, &B::min_insync_replicas, Unit::none,
       "Fewest in-sync replicas for an acks=all write to succeed."},
      {"unclean.leader.election.enable", 0, 0, &B::unclean_leader_election_enable, Unit::none,
       "Let an out-of-sync replica become leader when no ISR member is alive (may lose data)."},
      {"replica.lag.time.max.ms", 1, kLongMax, &B::replica_lag_time_max, Unit::ms,
       "A follower not caught up for this long leaves the ISR."},
      {"replica.fetch.wait.max.ms", 0, kIntMax, &B::replica_fetch_wait_max, Unit::ms,
       "Longest time the leader parks a follower's fetch waiting for data."},
      {"replica.fetch.min.bytes", 0, kIntMax, &B::replica_fetch_min_bytes, Unit::none,
       "Bytes a follower's fetch waits for before the leader answers."},
      {"replica.fetch.max.bytes", 0, kIntMax, &B::replica_fetch_max_bytes, Unit::none,
       "Bytes per partition in one follower fetch."},
      {"replica.fetch.backoff.ms", 0, kIntMax, &B::replica_fetch_backoff, Unit::ms,
       "Pause of a follower's fetcher after a fetch error."},
      {"replica.socket.timeout.ms", 1, kIntMax, &B::replica_socket_timeout, Unit::ms,
       "Timeout of a follower's fetch request."},
      {"num.replica.fetchers", 1, kIntMax, &B::num_replica_fetchers, Unit::none,
       "Fetcher threads per source broker."},
      {"zookeeper.session.timeout.ms", 1, kIntMax, &B::zookeeper_session_timeout, Unit::ms,
       "ZooKeeper expires a broker's session after this long without traffic."},
      {"num.io.threads", 1, kIntMax, &B::num_io_threads, Unit::none,
       "Request-handler threads per broker."},
      {"log.flush.interval.messages", 1, kLongMax, &B::log_flush_interval_messages, Unit::none,
       "Messages appended before an fsync (default: never)."},
      {"log.flush.interval.ms", 0, kLongMax, &B::log_flush_interval_setting, Unit::ms,
       "Age of unflushed data before an fsync; null: log.flush.scheduler.interval.ms."},
      {"log.flush.scheduler.interval.ms", 1, kLongMax, &B::log_flush_scheduler_interval, Unit::ms,
       "How often the log flusher checks for logs to flush (default: never)."},
      {"controlled.shutdown.enable", 0, 0, &B::controlled_shutdown_enable, Unit::none,
       "Move leadership away before a broker shuts down."},
      {"controlled.shutdown.max.retries", 0, kIntMax, &B::controlled_shutdown_max_retries,
       Unit::none, "Attempts of a controlled shutdown before an unclean one."},
      {"controlled.shutdown.retry.backoff.ms", 0, kLongMax, &B::controlled_shutdown_retry_backoff,
       Unit::ms, "Pause between controlled-shutdown attempts."},
      {"auto.leader.rebalance.enable", 0, 0, &B::auto_leader_rebalance_enable, Unit::none,
       "Periodically move leadership back to preferred replicas."},
      {"leader.imbalance.check.interval.seconds", 1, kLongMax, &B::leader_imbalance_check_interval,
       Unit::seconds, "Period of the preferred-leader check."},
      {"leader.imbalance.per.broker.percentage", 0, 100, &B::leader_imbalance_per_broker_percentage,
       Unit::none, "Imbalance per broker above which leadership is rebalanced."},
      {"controller.socket.timeout.ms", 1, kIntMax, &B::controller_socket_timeout, Unit::ms,
       "Timeout of controller-to-broker requests."},
      {"default.replication.factor", 1, kIntMax, &B::default_replication_factor, Unit::none,
       "Replication factor of automatically created topics."},
      {"num.partitions", 1, kIntMax, &B::num_partitions, Unit::none,
       "Partitions of automatically created topics."},
      {"message.max.bytes", 0, kIntMax, &B::message_max_bytes, Unit::none,
       "Largest record batch the broker accepts."},
      {"request.timeout.ms", 0, kIntMax, &B::request_timeout, Unit::ms,
       "Timeout of the broker's own client requests."},
      {"socket.receive.buffer.bytes", 1, kIntMax, &B::socket_receive_buffer_bytes, Unit::none,
       "SO_RCVBUF of the sockets the broker accepts: requests a client sends while the broker "
       "serves its previous one wait there."},
      {"replica.high.watermark.checkpoint.interval.ms", 1, kLongMax,
       &B::replica_high_watermark_checkpoint_interval, Unit::ms,
       "How often high watermarks are saved to disk."},
      {"group.initial.rebalance.delay.ms", 0, kIntMax, &B::group_initial_rebalance_delay, Unit::ms,
       "The group coordinator waits this long for more members at an empty group's first join."},
      {"offsets.topic.num.partitions", 1, kIntMax, &B::offsets_topic_num_partitions, Unit::none,
       "Partitions of __consumer_offsets (a group's coordinator leads one)."},
      {"offsets.topic.replication.factor", 1, 32767, &B::offsets_topic_replication_factor,
       Unit::none,
       "Replicas of each __consumer_offsets partition (at most the brokers there are)."},
  };
  return entries;
}

// clients/.../common/config/TopicConfig.java and core/.../log/LogConfig.scala, 2.4.0.
const std::vector<Entry<T>>& topic_entries() {
  static const std::vector<Entry<T>> entries{
      {"min.insync.replicas", 1, kIntMax, &T::min_insync_replicas, Unit::none,
       "Overrides the broker's min.insync.replicas for this topic."},
      {"unclean.leader.election.enable", 0, 0, &T::unclean_leader_election_enable, Unit::none,
       "Overrides the broker's unclean.leader.election.enable for this topic."},
      {"flush.messages", 0, kLongMax, &T::flush_messages, Unit::none,
       "Overrides the broker's log.flush.interval.messages for this topic."},
      {"flush.ms", 0, kLongMax, &T::flush_interval, Unit::ms,
       "Overrides the broker's log.flush.interval.ms for this topic."},
      {"max.message.bytes", 0, kIntMax, &T::max_message_bytes, Unit::none,
       "Overrides the broker's message.max.bytes for this topic."},
  };
  return entries;
}

// clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java, 2.4.0.
const std::vector<Entry<P>>& producer_entries() {
  static const std::vector<Entry<P>> entries{
      {"acks", 0, 0, &P::acks, Unit::none,
       "Overridden in every run by the run's acknowledgement mode."},
      {"retries", 0, kIntMax, &P::retries, Unit::none, "Resends of a failed batch."},
      {"request.timeout.ms", 0, kIntMax, &P::request_timeout, Unit::ms,
       "Time to wait for a produce response before retrying."},
      {"delivery.timeout.ms", 0, kIntMax, &P::delivery_timeout, Unit::ms,
       "Time from send() after which a message fails, retries or not."},
      {"linger.ms", 0, kLongMax, &P::linger, Unit::ms, "Wait for more messages to batch."},
      {"batch.size", 0, kIntMax, &P::batch_size, Unit::none, "Largest batch per partition."},
      {"max.in.flight.requests.per.connection", 1, kIntMax,
       &P::max_in_flight_requests_per_connection, Unit::none,
       "Unanswered requests per broker connection."},
      {"retry.backoff.ms", 0, kLongMax, &P::retry_backoff, Unit::ms, "Pause before a retry."},
      {"enable.idempotence", 0, 0, &P::enable_idempotence, Unit::none,
       "Sequence numbers that let the broker drop duplicates from retries."},
      {"metadata.max.age.ms", 0, kLongMax, &P::metadata_max_age, Unit::ms,
       "Metadata refresh period."},
      {"max.block.ms", 0, kLongMax, &P::max_block, Unit::ms,
       "Longest time send() blocks on a full buffer or missing metadata."},
      {"buffer.memory", 0, kLongMax, &P::buffer_memory, Unit::none,
       "Bytes of unsent messages the producer holds."},
      {"reconnect.backoff.ms", 0, kLongMax, &P::reconnect_backoff, Unit::ms,
       "First pause before reconnecting to a broker."},
      {"reconnect.backoff.max.ms", 0, kLongMax, &P::reconnect_backoff_max, Unit::ms,
       "Longest pause before reconnecting to a broker."},
      {"max.request.size", 0, kIntMax, &P::max_request_size, Unit::none,
       "Largest produce request."},
      {"send.buffer.bytes", 1, kIntMax, &P::send_buffer_bytes, Unit::none,
       "SO_SNDBUF of the producer's sockets: with the broker's socket.receive.buffer.bytes, the "
       "bytes a connection holds unread before the producer can write no more."},
  };
  return entries;
}

// clients/src/main/java/org/apache/kafka/clients/consumer/ConsumerConfig.java, 2.4.0.
const std::vector<Entry<K>>& consumer_entries() {
  static const std::vector<Entry<K>> entries{
      {"fetch.max.wait.ms", 0, kIntMax, &K::fetch_max_wait, Unit::ms,
       "Longest time the broker parks a consumer's fetch waiting for fetch.min.bytes."},
      {"fetch.min.bytes", 0, kIntMax, &K::fetch_min_bytes, Unit::none,
       "Bytes a fetch waits for before the broker answers."},
      {"fetch.max.bytes", 0, kIntMax, &K::fetch_max_bytes, Unit::none,
       "Bytes in one fetch response."},
      {"max.partition.fetch.bytes", 0, kIntMax, &K::max_partition_fetch_bytes, Unit::none,
       "Bytes per partition in one fetch."},
      {"max.poll.records", 1, kIntMax, &K::max_poll_records, Unit::none,
       "Messages handed to the application per poll."},
      {"enable.auto.commit", 0, 0, &K::enable_auto_commit, Unit::none,
       "Commit offsets periodically."},
      {"auto.commit.interval.ms", 1, kIntMax, &K::auto_commit_interval, Unit::ms,
       "Period of offset commits."},
      {"auto.offset.reset", 0, 0, &K::auto_offset_reset, Unit::none,
       "Where a group without a committed offset starts."},
      {"partition.assignment.strategy", 0, 0, &K::partition_assignment_strategy, Unit::none,
       "How a group's members share the partitions."},
      {"session.timeout.ms", 1, kIntMax, &K::session_timeout, Unit::ms,
       "A member silent this long leaves the group."},
      {"heartbeat.interval.ms", 1, kIntMax, &K::heartbeat_interval, Unit::ms,
       "Period of a member's heartbeats to the group coordinator."},
      {"max.poll.interval.ms", 1, kIntMax, &K::max_poll_interval, Unit::ms,
       "A member that does not poll for this long leaves the group (the rebalance timeout)."},
      {"zookeeper.session.timeout.ms", 1, kIntMax, &K::zookeeper_session_timeout, Unit::ms,
       "ZooKeeper session timeout of a member (the ZooKeeper-era group protocol)."},
      {"request.timeout.ms", 0, kIntMax, &K::request_timeout, Unit::ms,
       "Time to wait for a fetch response."},
  };
  return entries;
}

}  // namespace kafkasim::scenario_detail
