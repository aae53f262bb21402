// The acknowledgement modes a run compares (SPEC.md "Acknowledgement modes"), and their
// spellings: our names and Kafka's acks values (clients ProducerConfig.java: "all", "-1", "0",
// "1"). The scenario's "acks" list, a producer config's "acks" and the CLI's --acks all use it.
#pragma once

#include <optional>
#include <string_view>

namespace kafkasim {

enum class AckMode {
  none,   // acks=0: the producer counts a message sent once it is written to the connection
  async,  // acks=1: the leader answers after its local append
  isr,    // acks=all (-1): the leader answers once the high watermark passes the message
  sync,   // no Kafka equivalent: every assigned replica has it, in the ISR or not
};

/// "none"/"0", "async"/"1", "isr"/"all"/"-1", "sync"; nullopt for anything else.
std::optional<AckMode> parse_ack_mode(std::string_view text);

/// Our name of the mode: "none", "async", "isr" or "sync".
std::string_view to_string(AckMode mode);

}  // namespace kafkasim
