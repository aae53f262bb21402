// ISR change notifications: KafkaController.processIsrChangeNotification (Kafka 2.4,
// core/src/main/scala/kafka/controller/KafkaController.scala) with KafkaZkClient's
// getAllIsrChangeNotifications, getPartitionsFromIsrChangeNotifications and
// deleteIsrChangeNotifications. A leader that changes an ISR writes the partition's state itself
// and leaves a sequential node under /isr_change_notification (ReplicaManager
// .maybePropagateIsrChanges); the controller refreshes those partitions from ZooKeeper and tells
// every broker with UpdateMetadata.
#include "kafkasim/kafka/broker.h"
#include "kafkasim/kafka/controller.h"

namespace kafkasim {

void Controller::process(const IsrChangeNotification& /*event*/) {
  then({ReadIsrChangeNotifications{}});
}

void Controller::perform(const ReadIsrChangeNotifications& /*step*/) {
  // The children, leaving the watch that reports the next notification.
  isr_changed_.clear();
  ask_zk(ZkGetChildren{IsrChangeNotificationZNode::path(), ZkWatch::watch},
         IsrChangeNotificationsListed{});
}

void Controller::on_reply(const IsrChangeNotificationsListed& /*listed*/, const ZkResult& result) {
  if (result.children.empty()) return;
  then({RefreshChangedPartitions{}});
  for (const std::string& child : result.children) {
    const std::string path = IsrChangeNotificationZNode::path() + "/" + child;
    ask_zk(ZkGetData{path, ZkWatch::none}, IsrChangeNotificationRead{path});
  }
}

void Controller::on_reply(const IsrChangeNotificationRead& read, const ZkResult& result) {
  if (result.code == ZkCode::ok) {
    for (const ZkTopicPartition& ztp : IsrChangeNotificationSequenceZNode::decode(result.data)
                                           .value_or(std::vector<ZkTopicPartition>{})) {
      const std::int32_t t = broker_.layout().topic_index(ztp.topic);
      if (t >= 0) isr_changed_.insert({TopicIndex(static_cast<std::uint32_t>(t)), ztp.partition});
    }
  }
  // deleteIsrChangeNotifications: read once, a notification is done with.
  broker_.zk().remove(read.path, kAnyZkVersion, {});
}

void Controller::perform(const RefreshChangedPartitions& /*step*/) {
  // updateLeaderAndIsrCache: the changed partitions' state afresh. (Notifications that name no
  // known partition still give an UpdateMetadata, with no partition in it: Kafka skips it.)
  std::vector<TopicPartition> changed(isr_changed_.begin(), isr_changed_.end());
  then({AnnounceIsrChanges{changed}});
  read_states(changed);
}

void Controller::perform(const AnnounceIsrChanges& step) {
  // processUpdateNotifications: UpdateMetadata to every live broker.
  send_update_metadata(live_list(), step.changed);
}

}  // namespace kafkasim
