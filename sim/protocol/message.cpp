// Bytes on the wire for every message of the model. Only what moves the needle is counted:
// record payloads in full (they dominate produce and fetch traffic), znode paths and data, and
// otherwise a small fixed header plus a few bytes per partition entry, close to Kafka's and
// ZooKeeper's encodings (a request header is ~20-40 bytes, a partition entry ~10-30).
#include "kafkasim/protocol/message.h"

#include <cstddef>
#include <string>

#include <cassert>

namespace kafkasim {

void not_for_this_node([[maybe_unused]] const char* node_kind) {
  assert(false && "a message type this node kind never receives");
}

namespace {

/// A ZooKeeper packet: length prefix, request or reply header, a Stat, the fixed fields.
constexpr std::size_t kZkHeaderBytes = 64;
/// A Kafka request or response header with the fields the model does not carry.
constexpr std::size_t kKafkaHeaderBytes = 100;
/// One partition entry of a Kafka request or response without records.
constexpr std::size_t kPartitionEntryBytes = 16;

template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
// Clang before 17 lacks C++20's deduction for aggregates (P1816): the fuzz build needs the guide.
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

std::size_t strings_bytes(const std::vector<std::string>& strings) {
  std::size_t total = 0;
  for (const std::string& s : strings)
    total += 4 + s.size();  // jute: an int length, then the bytes
  return total;
}

std::size_t op_bytes(const ZkMultiOp& op) {
  return std::visit(
      Overloaded{
          [](const ZkCheck& check) { return 8 + check.path.size(); },
          [](const ZkCreate& create) { return 12 + create.path.size() + create.data.size(); },
          [](const ZkDelete& remove) { return 8 + remove.path.size(); },
          [](const ZkSetData& set) { return 12 + set.path.size() + set.data.size(); },
      },
      op);
}

std::size_t zk_bytes(const ZkOp& op) {
  return std::visit(Overloaded{
                        [](const ZkMulti& multi) {
                          std::size_t total = 0;
                          for (const ZkMultiOp& sub : multi.ops)
                            total += 8 + op_bytes(sub);
                          return total;
                        },
                        [](const ZkCloseSession&) { return std::size_t{0}; },
                        [](const ZkCreate& create) { return op_bytes(create); },
                        [](const ZkDelete& remove) { return op_bytes(remove); },
                        [](const ZkSetData& set) { return op_bytes(set); },
                        [](const auto& read) { return read.path.size() + 4; },
                    },
                    op);
}

std::size_t zk_bytes(const ZkResult& result) {
  std::size_t total = result.path.size() + result.data.size() + strings_bytes(result.children);
  for (const ZkOpResult& sub : result.results)
    total += 60 + sub.path.size();  // an OpResult with its Stat
  return total;
}

std::size_t batches_bytes(const std::vector<RecordBatch>& batches) {
  std::size_t total = 0;
  for (const RecordBatch& batch : batches)
    total += batch.size_bytes;
  return total;
}

template <class Entries>
std::size_t entries_bytes(const Entries& entries) {
  return kPartitionEntryBytes * entries.size();
}

// STICKY_ASSIGNOR_USER_DATA_V1: one topic entry with its partitions (4 bytes each) and the
// generation; nothing when the member sends no userData (every assignor but a sticky one).
std::size_t user_data_bytes(const SubscriptionUserData& data) {
  if (data.owned_partitions.empty() && !data.generation) return 0;
  return 4 * data.owned_partitions.size() + 16;
}

std::size_t payload_bytes(const Message& message) {
  return std::visit(
      Overloaded{
          [](const ZkConnectRequest& m) {
            return strings_bytes(m.data_watches) + strings_bytes(m.exist_watches) +
                   strings_bytes(m.child_watches);
          },
          [](const ZkRequest& m) { return zk_bytes(m.op); },
          [](const ZkResponse& m) { return zk_bytes(m.result); },
          [](const ZkWatchEvent& m) { return m.path.size(); },
          [](const ZkConnectResponse&) { return std::size_t{0}; },
          [](const ZkPingRequest&) { return std::size_t{0}; },
          [](const ZkPingResponse&) { return std::size_t{0}; },
          [](const ProduceRequest& m) {
            std::size_t total = entries_bytes(m.partitions);
            for (const ProducePartitionData& data : m.partitions)
              total += data.batch.size_bytes;
            return total;
          },
          [](const FetchResponse& m) {
            std::size_t total = entries_bytes(m.partitions);
            for (const FetchPartitionData& data : m.partitions)
              total += batches_bytes(data.batches);
            return total;
          },
          [](const MetadataRequest&) { return std::size_t{0}; },
          [](const MetadataResponse& m) {
            return entries_bytes(m.partitions) + 4 * m.live_brokers.size();
          },
          [](const LeaderAndIsrRequest& m) { return entries_bytes(m.partition_states); },
          [](const UpdateMetadataRequest& m) {
            return entries_bytes(m.partition_states) + 4 * m.live_brokers.size();
          },
          [](const ControlledShutdownRequest&) { return std::size_t{0}; },
          [](const ControlledShutdownResponse& m) { return entries_bytes(m.remaining_partitions); },
          [](const LeaderAndIsrResponse&) { return std::size_t{0}; },
          [](const UpdateMetadataResponse&) { return std::size_t{0}; },
          [](const StopReplicaResponse&) { return std::size_t{0}; },
          // The group protocol: a header, the group and member ids, the entries.
          [](const FindCoordinatorRequest& m) { return m.key.size(); },
          [](const FindCoordinatorResponse&) { return std::size_t{0}; },
          [](const JoinGroupRequest& m) {
            return m.group_id.size() + m.member_id.size() + 32 + user_data_bytes(m.user_data);
          },
          [](const JoinGroupResponse& m) {
            std::size_t total = m.leader.size() + m.member_id.size();
            for (const JoinGroupResponseMember& member : m.members)
              total += member.member_id.size() + 32 + user_data_bytes(member.user_data);
            return total;
          },
          [](const SyncGroupRequest& m) {
            std::size_t total = m.group_id.size() + m.member_id.size();
            for (const SyncGroupRequestAssignment& a : m.assignments)
              total += a.member_id.size() + entries_bytes(a.partitions);
            return total;
          },
          [](const SyncGroupResponse& m) { return entries_bytes(m.partitions); },
          [](const HeartbeatRequest& m) { return m.group_id.size() + m.member_id.size(); },
          [](const HeartbeatResponse&) { return std::size_t{0}; },
          [](const LeaveGroupRequest& m) { return m.group_id.size() + m.member_id.size(); },
          [](const LeaveGroupResponse&) { return std::size_t{0}; },
          [](const OffsetCommitRequest& m) {
            return m.group_id.size() + m.member_id.size() + entries_bytes(m.partitions);
          },
          [](const OffsetFetchRequest& m) {
            return m.group_id.size() + entries_bytes(m.partitions);
          },
          // The remaining Kafka messages: a header and their partition entries.
          [](const auto& m) { return entries_bytes(m.partitions); },
      },
      message);
}

bool is_zookeeper(const Message& message) {
  return message.index() < std::variant_size_v<VariantOf<ZkMessages>::type>;
}

}  // namespace

std::uint32_t wire_size(const Message& message) {
  const std::size_t header = is_zookeeper(message) ? kZkHeaderBytes : kKafkaHeaderBytes;
  return static_cast<std::uint32_t>(header + payload_bytes(message));
}

}  // namespace kafkasim
