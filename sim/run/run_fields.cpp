#include "run_fields.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <vector>

#include "text_table.h"

namespace kafkasim::report_detail {

namespace {

using nlohmann::ordered_json;

template <std::uint64_t RunResult::*Field>
RunValue count(const RunResult& run) {
  return run.*Field;
}

template <double LatencySummary::*Field>
RunValue latency(const RunResult& run) {
  return run.latency.*Field;
}

RunValue acks(const RunResult& run) {
  return std::string(to_string(run.acks));
}

RunValue offline_ms(const RunResult& run) {
  return run.offline_ms;
}

ordered_json latency_json(const LatencySummary& l) {
  return {{"mean", l.mean_ms}, {"p50", l.p50_ms},   {"p90", l.p90_ms},
          {"p99", l.p99_ms},   {"p999", l.p999_ms}, {"max", l.max_ms}};
}

RunValue partitions(const RunResult& run) {
  ordered_json list = ordered_json::array();
  for (const PartitionReport& p : run.partitions) {
    ordered_json ends = ordered_json::object();
    for (const ReplicaEnd& e : p.replicas)
      ends[e.broker] = e.log_end_offset;
    list.push_back({{"partition", p.name},
                    {"leader", p.leader},
                    {"isr", p.isr},
                    {"high_watermark", p.high_watermark},
                    {"log_end_offset", ends},
                    {"lost_acknowledged", p.lost_acknowledged},
                    {"diverged_offsets", p.diverged_offsets}});
  }
  return list;
}

RunValue consumer_groups(const RunResult& run) {
  ordered_json groups = ordered_json::array();
  for (const ConsumerGroupReport& g : run.consumer_groups) {
    groups.push_back({{"group", g.group},
                      {"members", g.members},
                      {"consumed", g.consumed},
                      {"redelivered", g.redelivered},
                      {"max_lag", g.max_lag},
                      {"max_lag_at_ms", g.max_lag_at_ms},
                      {"lag_at_end", g.lag_at_end},
                      {"end_to_end_latency_ms", latency_json(g.end_to_end_latency)},
                      {"coordination", g.coordination},
                      {"coordinator", g.coordinator},
                      {"rebalances", g.rebalances},
                      {"rebalance_ms", g.rebalance_ms}});
  }
  return groups;
}

RunValue lost_examples(const RunResult& run) {
  ordered_json examples = ordered_json::array();
  for (const LostExample& e : run.lost_examples) {
    examples.push_back({{"id", e.id},
                        {"partition", e.partition},
                        {"offset", e.offset},
                        {"acknowledged_at_ms", e.acknowledged_at_ms},
                        {"held_by", e.held_by},
                        {"removed_by", e.removed_by}});
  }
  return examples;
}

RunValue fault_nodes(const RunResult& run) {
  ordered_json faults = ordered_json::array();
  for (const std::vector<std::string>& nodes : run.fault_nodes)
    faults.push_back(nodes);
  return faults;
}

constexpr FieldKind kId = FieldKind::identity;
constexpr FieldKind kNumber = FieldKind::number;
constexpr FieldKind kDetails = FieldKind::details;
constexpr FieldKind kGroups = FieldKind::named_groups;
using R = RunResult;
using L = LatencySummary;

// The run's fields, in the order of the JSON and of the comparison table. A new field is one
// row: its JSON key, kind, CSV column and place (the next free one), table label (and whether
// only when some run has one), decimals of a time in the table and the CSV, and its value.
// clang-format off
constexpr RunField kRunFields[] = {
//   JSON key                    kind     CSV column                  place table label            if any  decimals value
    {"acks",                     kId,     "acks",                      1, "mode",                  false, 0, 0, acks},
    {"seed",                     kId,     "seed",                      2, "seed",                  false, 0, 0, count<&R::seed>},
    {"produced",                 kNumber, "produced",                  3, "produced",              false, 0, 0, count<&R::produced>},
    {"acknowledged",             kNumber, "acknowledged",              4, "acknowledged",          false, 0, 0, count<&R::acknowledged>},
    {"failed",                   kNumber, "failed",                    5, "failed",                false, 0, 0, count<&R::failed>},
    {"pending",                  kNumber, "pending",                  21, "pending at end",        false, 0, 0, count<&R::pending>},
    {"abandoned",                kNumber, "abandoned",                23, "abandoned in a crash",  true,  0, 0, count<&R::abandoned>},
    {"lost_acknowledged",        kNumber, "lost_acknowledged",         6, "lost acknowledged",     false, 0, 0, count<&R::lost_acknowledged>},
    {"duplicates",               kNumber, "duplicates",                7, "duplicates",            false, 0, 0, count<&R::duplicates>},
    {"reordered",                kNumber, "reordered",                18, "reordered",             false, 0, 0, count<&R::reordered>},
    {"latency_ms.mean",          kNumber, "latency_mean_ms",           8, "latency mean ms",       false, 2, 4, latency<&L::mean_ms>},
    {"latency_ms.p50",           kNumber, "latency_p50_ms",            9, "latency p50 ms",        false, 2, 4, latency<&L::p50_ms>},
    {"latency_ms.p90",           kNumber, "latency_p90_ms",           19, "",                      false, 2, 4, latency<&L::p90_ms>},
    {"latency_ms.p99",           kNumber, "latency_p99_ms",           10, "latency p99 ms",        false, 2, 4, latency<&L::p99_ms>},
    {"latency_ms.p999",          kNumber, "latency_p999_ms",          11, "latency p99.9 ms",      false, 2, 4, latency<&L::p999_ms>},
    {"latency_ms.max",           kNumber, "latency_max_ms",           12, "latency max ms",        false, 2, 4, latency<&L::max_ms>},
    {"offline_ms",               kNumber, "offline_ms",               13, "offline ms",            false, 1, 3, offline_ms},
    {"leader_elections",         kNumber, "leader_elections",         14, "leader elections",      false, 0, 0, count<&R::leader_elections>},
    {"unclean_leader_elections", kNumber, "unclean_leader_elections", 15, "unclean elections",     false, 0, 0, count<&R::unclean_leader_elections>},
    {"controller_elections",     kNumber, "controller_elections",     20, "controller elections",  false, 0, 0, count<&R::controller_elections>},
    {"isr_shrinks",              kNumber, "isr_shrinks",              16, "ISR shrinks",           false, 0, 0, count<&R::isr_shrinks>},
    {"isr_expands",              kNumber, "isr_expands",              17, "ISR expands",           false, 0, 0, count<&R::isr_expands>},
    {"controller_isr_removals",  kNumber, "controller_isr_removals",  24, "controller ISR removals", false, 0, 0, count<&R::controller_isr_removals>},
    {"diverged_offsets",         kNumber, "diverged_offsets",         25, "diverged offsets",      true,  0, 0, count<&R::diverged_offsets>},
    {"partitions",               kDetails, "",                         0, "",                      false, 0, 0, partitions},
    {"consumer_groups",          kGroups, "",                          0, "",                      false, 0, 0, consumer_groups},
    {"lost_examples",            kDetails, "",                         0, "",                      false, 0, 0, lost_examples},
    {"events",                   kNumber, "events",                   22, "",                      false, 0, 0, count<&R::events>},
    {"fault_nodes",              kDetails, "",                         0, "",                      false, 0, 0, fault_nodes},
};
// clang-format on

/// The key of `path` in the run's own object: "latency_ms" for "latency_ms.p99".
std::string_view top_key(std::string_view path) {
  return path.substr(0, path.find('.'));
}

std::vector<const RunField*> by_csv_place() {
  std::vector<const RunField*> columns;
  for (const RunField& f : kRunFields) {
    if (!f.csv.empty()) columns.push_back(&f);
  }
  std::sort(columns.begin(), columns.end(),
            [](const RunField* a, const RunField* b) { return a->csv_place < b->csv_place; });
  // Places are 1, 2, 3... with no gap and no place taken twice: a column never moves.
  for (std::size_t i = 0; i < columns.size(); ++i)
    assert(columns[i]->csv_place == static_cast<int>(i) + 1);
  return columns;
}

}  // namespace

std::span<const RunField> run_fields() {
  return kRunFields;
}

std::span<const RunField* const> csv_fields() {
  static const std::vector<const RunField*> columns = by_csv_place();
  return columns;
}

std::string format(const RunValue& value, int decimals) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* n = std::get_if<std::uint64_t>(&value)) return std::to_string(*n);
  if (const auto* ms = std::get_if<double>(&value)) return fixed(*ms, decimals);
  return std::get<ordered_json>(value).dump();
}

void put(ordered_json& object, std::string_view path, const RunValue& value) {
  ordered_json* at = &object;
  for (std::size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.')) {
    at = &(*at)[std::string(path.substr(0, dot))];
    path.remove_prefix(dot + 1);
  }
  ordered_json& slot = (*at)[std::string(path)];
  std::visit([&slot](const auto& v) { slot = v; }, value);
}

bool is_summary_key(std::string_view key) {
  const auto field = std::find_if(std::begin(kRunFields), std::end(kRunFields),
                                  [key](const RunField& f) { return top_key(f.json) == key; });
  return field != std::end(kRunFields) &&
         (field->kind == FieldKind::number || field->kind == FieldKind::named_groups);
}

}  // namespace kafkasim::report_detail
