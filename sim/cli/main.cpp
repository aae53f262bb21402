#include <cstdio>
int main() { std::puts("kafkasim " KAFKASIM_VERSION); return 0; }
