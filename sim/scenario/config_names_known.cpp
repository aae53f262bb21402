// Real Kafka settings the model accepts but does not simulate: a scenario copied from a real
// server.properties or client config still loads, with a warning per ignored setting, while a
// misspelt name is an error. Taken from apache/kafka: core/.../server/KafkaConfig.scala,
// clients/.../common/config/TopicConfig.java, clients/.../producer/ProducerConfig.java,
// clients/.../consumer/ConsumerConfig.java, and for the ZooKeeper-era consumer
// core/.../consumer/ConsumerConfig.scala (0.8.2).
#include <algorithm>
#include <string_view>
#include <vector>

#include "kafkasim/scenario/config_table.h"

namespace kafkasim {

namespace {

using Names = std::vector<std::string_view>;

const Names& client_security_names() {
  static const Names names{"security.protocol",
                           "security.providers",
                           "ssl.protocol",
                           "ssl.provider",
                           "ssl.cipher.suites",
                           "ssl.enabled.protocols",
                           "ssl.keystore.type",
                           "ssl.keystore.location",
                           "ssl.keystore.password",
                           "ssl.key.password",
                           "ssl.truststore.type",
                           "ssl.truststore.location",
                           "ssl.truststore.password",
                           "ssl.keymanager.algorithm",
                           "ssl.trustmanager.algorithm",
                           "ssl.endpoint.identification.algorithm",
                           "ssl.secure.random.implementation",
                           "sasl.mechanism",
                           "sasl.jaas.config",
                           "sasl.client.callback.handler.class",
                           "sasl.login.class",
                           "sasl.login.callback.handler.class",
                           "sasl.kerberos.service.name",
                           "sasl.kerberos.kinit.cmd",
                           "sasl.kerberos.ticket.renew.window.factor",
                           "sasl.kerberos.ticket.renew.jitter",
                           "sasl.kerberos.min.time.before.relogin",
                           "sasl.login.refresh.window.factor",
                           "sasl.login.refresh.window.jitter",
                           "sasl.login.refresh.min.period.seconds",
                           "sasl.login.refresh.buffer.seconds",
                           "metrics.sample.window.ms",
                           "metrics.num.samples",
                           "metrics.recording.level",
                           "metric.reporters",
                           "bootstrap.servers",
                           "client.dns.lookup",
                           "client.id",
                           "send.buffer.bytes",
                           "receive.buffer.bytes",
                           "connections.max.idle.ms",
                           "interceptor.classes",
                           "socket.connection.setup.timeout.ms",
                           "socket.connection.setup.timeout.max.ms"};
  return names;
}

Names broker_names() {
  return {"zookeeper.connect",
          "zookeeper.connection.timeout.ms",
          "zookeeper.sync.time.ms",
          "zookeeper.set.acl",
          "zookeeper.max.in.flight.requests",
          "zookeeper.ssl.client.enable",
          "zookeeper.clientCnxnSocket",
          "zookeeper.ssl.keystore.location",
          "zookeeper.ssl.keystore.password",
          "zookeeper.ssl.keystore.type",
          "zookeeper.ssl.truststore.location",
          "zookeeper.ssl.truststore.password",
          "zookeeper.ssl.truststore.type",
          "zookeeper.ssl.protocol",
          "zookeeper.ssl.enabled.protocols",
          "zookeeper.ssl.cipher.suites",
          "zookeeper.ssl.endpoint.identification.algorithm",
          "zookeeper.ssl.crl.enable",
          "zookeeper.ssl.ocsp.enable",
          "broker.id.generation.enable",
          "reserved.broker.max.id",
          "broker.id",
          "num.network.threads",
          "background.threads",
          "num.replica.alter.log.dirs.threads",
          "queued.max.requests",
          "queued.max.request.bytes",
          "authorizer.class.name",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "control.plane.listener.name",
          "host.name",
          "port",
          "advertised.host.name",
          "advertised.port",
          "socket.send.buffer.bytes",
          "socket.request.max.bytes",
          "max.connections.per.ip",
          "max.connections.per.ip.overrides",
          "max.connections",
          "connections.max.idle.ms",
          "broker.rack",
          "log.dirs",
          "log.dir",
          "log.segment.bytes",
          "log.roll.ms",
          "log.roll.hours",
          "log.roll.jitter.ms",
          "log.roll.jitter.hours",
          "log.retention.ms",
          "log.retention.minutes",
          "log.retention.hours",
          "log.retention.bytes",
          "log.retention.check.interval.ms",
          "log.cleanup.policy",
          "log.cleaner.threads",
          "log.cleaner.io.max.bytes.per.second",
          "log.cleaner.dedupe.buffer.size",
          "log.cleaner.io.buffer.size",
          "log.cleaner.io.buffer.load.factor",
          "log.cleaner.backoff.ms",
          "log.cleaner.min.cleanable.ratio",
          "log.cleaner.enable",
          "log.cleaner.delete.retention.ms",
          "log.cleaner.min.compaction.lag.ms",
          "log.cleaner.max.compaction.lag.ms",
          "log.index.size.max.bytes",
          "log.index.interval.bytes",
          "log.segment.delete.delay.ms",
          "log.flush.offset.checkpoint.interval.ms",
          "log.flush.start.offset.checkpoint.interval.ms",
          "log.preallocate",
          "log.message.format.version",
          "log.message.timestamp.type",
          "log.message.timestamp.difference.max.ms",
          "log.message.downconversion.enable",
          "num.recovery.threads.per.data.dir",
          "auto.create.topics.enable",
          "create.topic.policy.class.name",
          "alter.config.policy.class.name",
          "replica.socket.receive.buffer.bytes",
          "replica.fetch.response.max.bytes",
          "fetch.purgatory.purge.interval.requests",
          "producer.purgatory.purge.interval.requests",
          "delete.records.purgatory.purge.interval.requests",
          "security.inter.broker.protocol",
          "inter.broker.protocol.version",
          "inter.broker.listener.name",
          "replica.selector.class",
          "group.min.session.timeout.ms",
          "group.max.session.timeout.ms",
          "group.max.size",
          "offset.metadata.max.bytes",
          "offsets.load.buffer.size",
          "offsets.topic.segment.bytes",
          "offsets.topic.compression.codec",
          "offsets.retention.minutes",
          "offsets.retention.check.interval.ms",
          "offsets.commit.timeout.ms",
          "offsets.commit.required.acks",
          "transactional.id.expiration.ms",
          "transaction.max.timeout.ms",
          "transaction.state.log.min.isr",
          "transaction.state.log.load.buffer.size",
          "transaction.state.log.num.partitions",
          "transaction.state.log.segment.bytes",
          "transaction.state.log.replication.factor",
          "transaction.abort.timed.out.transaction.cleanup.interval.ms",
          "transaction.remove.expired.transaction.cleanup.interval.ms",
          "max.incremental.fetch.session.cache.slots",
          "fetch.max.bytes",
          "quota.window.num",
          "replication.quota.window.num",
          "alter.log.dirs.replication.quota.window.num",
          "quota.window.size.seconds",
          "replication.quota.window.size.seconds",
          "alter.log.dirs.replication.quota.window.size.seconds",
          "client.quota.callback.class",
          "delete.topic.enable",
          "compression.type",
          "metrics.sample.window.ms",
          "metrics.num.samples",
          "metric.reporters",
          "metrics.recording.level",
          "kafka.metrics.reporters",
          "kafka.metrics.polling.interval.secs",
          "principal.builder.class",
          "connections.max.reauth.ms",
          "security.providers",
          "ssl.protocol",
          "ssl.provider",
          "ssl.cipher.suites",
          "ssl.enabled.protocols",
          "ssl.keystore.type",
          "ssl.keystore.location",
          "ssl.keystore.password",
          "ssl.key.password",
          "ssl.truststore.type",
          "ssl.truststore.location",
          "ssl.truststore.password",
          "ssl.keymanager.algorithm",
          "ssl.trustmanager.algorithm",
          "ssl.endpoint.identification.algorithm",
          "ssl.secure.random.implementation",
          "ssl.client.auth",
          "ssl.principal.mapping.rules",
          "sasl.mechanism.inter.broker.protocol",
          "sasl.jaas.config",
          "sasl.enabled.mechanisms",
          "sasl.server.callback.handler.class",
          "sasl.client.callback.handler.class",
          "sasl.login.class",
          "sasl.login.callback.handler.class",
          "sasl.kerberos.service.name",
          "sasl.kerberos.kinit.cmd",
          "sasl.kerberos.ticket.renew.window.factor",
          "sasl.kerberos.ticket.renew.jitter",
          "sasl.kerberos.min.time.before.relogin",
          "sasl.kerberos.principal.to.local.rules",
          "sasl.login.refresh.window.factor",
          "sasl.login.refresh.window.jitter",
          "sasl.login.refresh.min.period.seconds",
          "sasl.login.refresh.buffer.seconds",
          "delegation.token.master.key",
          "delegation.token.max.lifetime.ms",
          "delegation.token.expiry.time.ms",
          "delegation.token.expiry.check.interval.ms",
          "password.encoder.secret",
          "password.encoder.old.secret",
          "password.encoder.keyfactory.algorithm",
          "password.encoder.cipher.algorithm",
          "password.encoder.key.length",
          "password.encoder.iterations"};
}

Names topic_names() {
  return {"segment.bytes",
          "segment.ms",
          "segment.jitter.ms",
          "segment.index.bytes",
          "retention.bytes",
          "retention.ms",
          "index.interval.bytes",
          "file.delete.delay.ms",
          "delete.retention.ms",
          "min.compaction.lag.ms",
          "max.compaction.lag.ms",
          "min.cleanable.dirty.ratio",
          "cleanup.policy",
          "compression.type",
          "preallocate",
          "message.format.version",
          "message.timestamp.type",
          "message.timestamp.difference.max.ms",
          "message.downconversion.enable",
          "leader.replication.throttled.replicas",
          "follower.replication.throttled.replicas"};
}

Names producer_names() {
  Names names = client_security_names();
  for (const std::string_view n :
       {"compression.type", "key.serializer", "value.serializer", "partitioner.class",
        "transaction.timeout.ms", "transactional.id", "metadata.max.idle.ms"}) {
    names.push_back(n);
  }
  // The producer's socket send buffer is simulated (it bounds what a connection holds unread).
  std::erase(names, std::string_view("send.buffer.bytes"));
  return names;
}

Names consumer_names() {
  Names names = client_security_names();
  // The 2.4 Java consumer's settings the model leaves aside ...
  for (const std::string_view n :
       {"group.id", "group.instance.id", "client.rack", "reconnect.backoff.ms",
        "reconnect.backoff.max.ms", "retry.backoff.ms", "metadata.max.age.ms", "check.crcs",
        "key.deserializer", "value.deserializer", "default.api.timeout.ms",
        "exclude.internal.topics", "isolation.level", "allow.auto.create.topics"}) {
    names.push_back(n);
  }
  // ... and the ZooKeeper-era consumer's (core/.../consumer/ConsumerConfig.scala, 0.8.2).
  for (const std::string_view n : {"zookeeper.connect",
                                   "zookeeper.connection.timeout.ms",
                                   "zookeeper.sync.time.ms",
                                   "consumer.id",
                                   "socket.timeout.ms",
                                   "socket.receive.buffer.bytes",
                                   "fetch.message.max.bytes",
                                   "num.consumer.fetchers",
                                   "auto.commit.enable",
                                   "queued.max.message.chunks",
                                   "rebalance.max.retries",
                                   "fetch.wait.max.ms",
                                   "rebalance.backoff.ms",
                                   "refresh.leader.backoff.ms",
                                   "consumer.timeout.ms",
                                   "offsets.storage",
                                   "dual.commit.enabled",
                                   "offsets.channel.backoff.ms",
                                   "offsets.channel.socket.timeout.ms",
                                   "offsets.commit.max.retries"}) {
    names.push_back(n);
  }
  return names;
}

Names sorted_unique(Names names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

std::vector<std::string_view> known_unmodeled_config_names(ConfigScope scope) {
  switch (scope) {
    case ConfigScope::broker:
      return sorted_unique(broker_names());
    case ConfigScope::topic:
      return sorted_unique(topic_names());
    case ConfigScope::producer:
      return sorted_unique(producer_names());
    case ConfigScope::consumer:
      return sorted_unique(consumer_names());
  }
  return {};
}

}  // namespace kafkasim
