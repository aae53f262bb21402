// Routes: the full mesh, overrides, least-mean-latency paths through switches, tie rules, and
// build errors.
#include <doctest/doctest.h>

#include "kafkasim/network/topology.h"
#include "network_fixture.h"

using namespace kafkasim;
using namespace kafkasim::testing;

namespace {

LinkSpec link(std::string a, std::string b, Dist latency) {
  return LinkSpec{std::move(a), std::move(b), latency, std::nullopt};
}

// The names of the nodes a route visits, source first.
std::vector<std::string> path(const Topology& t, const std::string& from, const std::string& to) {
  std::vector<std::string> out{from};
  for (const LinkIndex l : t.route(t.at(from), t.at(to)))
    out.push_back(t.name(t.links()[l].to));
  return out;
}

using Path = std::vector<std::string>;

}  // namespace

TEST_CASE("without switches every pair has its direct link, overrides included") {
  NetworkSpec spec = constant_spec(0.5);
  spec.links.push_back(link("broker-3", "broker-1", Dist::constant(20)));
  const Topology t = Topology::build(brokers(3), spec);
  CHECK(t.node_count() == 3);
  CHECK(t.links().size() == 6);
  CHECK(path(t, "broker-1", "broker-2") == Path{"broker-1", "broker-2"});
  // A detour via broker-2 (1 ms) would be faster, but hosts do not forward.
  CHECK(path(t, "broker-1", "broker-3") == Path{"broker-1", "broker-3"});
  CHECK(t.mean_latency_ms(t.at("broker-1"), t.at("broker-3")) == 20.0);
  CHECK(t.mean_latency_ms(t.at("broker-3"), t.at("broker-1")) == 20.0);
  CHECK(t.mean_latency_ms(t.at("broker-2"), t.at("broker-3")) == 0.5);
  CHECK(t.route(t.at("broker-2"), t.at("broker-2")).empty());
}

TEST_CASE("messages take the path of least mean latency, not of fewest hops") {
  NetworkSpec spec = constant_spec(0.5);
  spec.switches = {"s1", "s2", "s3"};
  spec.links = {link("broker-1", "s1", Dist::constant(1)), link("s1", "s2", Dist::constant(1)),
                link("s2", "broker-2", Dist::constant(1)),
                link("broker-1", "s3", Dist::constant(2)),
                link("s3", "broker-2", Dist::constant(2))};
  Fixture f(brokers(2), spec);
  const Topology& t = f.net.topology();
  CHECK(path(t, "broker-1", "broker-2") == Path{"broker-1", "s1", "s2", "broker-2"});
  CHECK(path(t, "broker-2", "broker-1") == Path{"broker-2", "s2", "s1", "broker-1"});
  f.send("broker-1", "broker-2", 1);
  f.run_to_ms(100);
  REQUIRE(f.at("broker-2").messages.size() == 1);
  CHECK(f.at("broker-2").messages[0].at == instant_from_ms(3));
}

TEST_CASE("the route follows the mean of a random latency, not a draw") {
  NetworkSpec spec = constant_spec(0.5);
  spec.switches = {"s1", "s2"};
  // uniform(0, 10) has mean 5 > 4, though 40% of its draws are below 4.
  spec.links = {
      link("broker-1", "s1", Dist::uniform(0, 10)), link("s1", "broker-2", Dist::constant(0)),
      link("broker-1", "s2", Dist::constant(4)), link("s2", "broker-2", Dist::constant(0))};
  const Topology t = Topology::build(brokers(2), spec);
  CHECK(path(t, "broker-1", "broker-2") == Path{"broker-1", "s2", "broker-2"});
}

TEST_CASE("ties go to fewer hops, then to the smaller node id") {
  NetworkSpec spec = constant_spec(1);
  SUBCASE("equal latency and hops: the switch with the smaller id") {
    spec.switches = {"sa", "sb"};
    spec.links = {
        link("broker-1", "sb", Dist::constant(1)), link("sb", "broker-2", Dist::constant(1)),
        link("broker-1", "sa", Dist::constant(1)), link("sa", "broker-2", Dist::constant(1))};
    CHECK(path(Topology::build(brokers(2), spec), "broker-1", "broker-2") ==
          Path{"broker-1", "sa", "broker-2"});
    spec.switches = {"sb", "sa"};  // now sb has the smaller id
    CHECK(path(Topology::build(brokers(2), spec), "broker-1", "broker-2") ==
          Path{"broker-1", "sb", "broker-2"});
  }
  SUBCASE("equal latency: fewer hops") {
    spec.switches = {"s1", "s2", "s3"};
    spec.links = {link("broker-1", "s2", Dist::constant(1)), link("s2", "s3", Dist::constant(0.5)),
                  link("s3", "broker-2", Dist::constant(0.5)),
                  link("broker-1", "s1", Dist::constant(1)),
                  link("s1", "broker-2", Dist::constant(1))};
    CHECK(path(Topology::build(brokers(2), spec), "broker-1", "broker-2") ==
          Path{"broker-1", "s1", "broker-2"});
  }
}

TEST_CASE("an endpoint named in no link attaches to the first switch") {
  NetworkSpec spec = constant_spec(0.25);
  spec.switches = {"core", "edge"};
  spec.links = {link("broker-1", "edge", Dist::constant(1)),
                link("edge", "core", Dist::constant(1))};
  std::vector<NodeDecl> nodes = brokers(1);
  nodes.push_back({"zookeeper", NodeKind::zookeeper});
  const Topology t = Topology::build(nodes, spec);
  CHECK(path(t, "zookeeper", "broker-1") == Path{"zookeeper", "core", "edge", "broker-1"});
  CHECK(t.mean_latency_ms(t.at("zookeeper"), t.at("broker-1")) == doctest::Approx(2.25));
  CHECK(t.kind(t.at("core")) == NodeKind::network_switch);
  CHECK(t.kind(t.at("zookeeper")) == NodeKind::zookeeper);
}

TEST_CASE("routes never pass through a third endpoint") {
  NetworkSpec spec = constant_spec(1);
  spec.switches = {"s1", "s2"};
  spec.links = {link("broker-1", "s1", Dist::constant(1)),
                link("s1", "broker-3", Dist::constant(0.1)),
                link("broker-3", "s2", Dist::constant(0.1)),
                link("s2", "broker-2", Dist::constant(1)), link("s1", "s2", Dist::constant(5))};
  const Topology t = Topology::build(brokers(3), spec);
  CHECK(path(t, "broker-1", "broker-2") == Path{"broker-1", "s1", "s2", "broker-2"});
  CHECK(path(t, "broker-1", "broker-3") == Path{"broker-1", "s1", "broker-3"});
}

TEST_CASE("a network that cannot be built is an error naming the culprit") {
  NetworkSpec spec = constant_spec(1);
  SUBCASE("unreachable pair") {
    spec.switches = {"s1", "s2"};
    spec.links = {link("broker-1", "s1", Dist::constant(1)),
                  link("broker-2", "s2", Dist::constant(1))};
    CHECK_THROWS_WITH_AS(Topology::build(brokers(2), spec),
                         "network: no path from 'broker-1' to 'broker-2'", TopologyError);
  }
  SUBCASE("unknown node") {
    spec.links = {link("broker-1", "broker-9", Dist::constant(1))};
    CHECK_THROWS_WITH_AS(Topology::build(brokers(2), spec), "network: no node named 'broker-9'",
                         TopologyError);
  }
  SUBCASE("duplicate link") {
    spec.links = {link("broker-1", "broker-2", Dist::constant(1)),
                  link("broker-2", "broker-1", Dist::constant(2))};
    CHECK_THROWS_AS(Topology::build(brokers(2), spec), TopologyError);
  }
  SUBCASE("a switch named like an endpoint") {
    spec.switches = {"broker-1"};
    CHECK_THROWS_AS(Topology::build(brokers(2), spec), TopologyError);
  }
}
