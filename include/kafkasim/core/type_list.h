// A list of types, so that each protocol (ZooKeeper's, Kafka's) can declare its messages in its
// own header and one std::variant can hold them all.
#pragma once

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

}  // namespace kafkasim
