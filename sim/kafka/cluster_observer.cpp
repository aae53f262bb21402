#include "kafkasim/kafka/cluster_observer.h"

namespace kafkasim {

std::string_view to_string(TruncationReason reason) {
  switch (reason) {
    case TruncationReason::leader_epoch:
      return "leader-epoch";
    case TruncationReason::high_watermark:
      return "high-watermark";
    case TruncationReason::out_of_range:
      return "out-of-range";
    case TruncationReason::power_loss:
      return "power-loss";
  }
  return "unknown";
}

std::string_view to_string(ElectionKind kind) {
  switch (kind) {
    case ElectionKind::clean:
      return "clean";
    case ElectionKind::unclean:
      return "unclean";
    case ElectionKind::controlled_shutdown:
      return "controlled shutdown";
    case ElectionKind::preferred:
      return "preferred replica";
    case ElectionKind::none_available:
      return "offline";
  }
  return "unknown";
}

}  // namespace kafkasim
