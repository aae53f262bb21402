// A list of types, so that each protocol (ZooKeeper's, Kafka's) can declare its messages in its
// own header and one std::variant can hold them all.
#pragma once

#include <type_traits>
#include <variant>

namespace kafkasim {

template <class... Types>
struct TypeList {};

template <class... Lists>
struct ConcatTypeLists;
template <class... A>
struct ConcatTypeLists<TypeList<A...>> {
  using type = TypeList<A...>;
};
template <class... A, class... B, class... Rest>
struct ConcatTypeLists<TypeList<A...>, TypeList<B...>, Rest...> {
  using type = typename ConcatTypeLists<TypeList<A..., B...>, Rest...>::type;
};

template <class List>
struct VariantOf;
template <class... Types>
struct VariantOf<TypeList<Types...>> {
  using type = std::variant<Types...>;
};

/// Whether T is one of the types of List (a TypeList or a std::variant).
template <class T, class List>
struct ContainsType : std::false_type {};
template <class T, class... Types>
struct ContainsType<T, TypeList<Types...>> : std::bool_constant<(std::is_same_v<T, Types> || ...)> {
};
template <class T, class... Types>
struct ContainsType<T, std::variant<Types...>>
    : std::bool_constant<(std::is_same_v<T, Types> || ...)> {};

/// A handler's parameter that takes any type of a group: `[&](MemberOf<Group> auto& m)`.
template <class T, class List>
concept MemberOf = ContainsType<std::remove_cvref_t<T>, List>::value;

/// The handlers of a std::visit, one per alternative or group of alternatives. With no catch-all
/// among them, a variant alternative that no handler takes is a compile error.
template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
// Clang before 17 lacks C++20's deduction for aggregates (P1816): the fuzz build needs the guide.
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

}  // namespace kafkasim
