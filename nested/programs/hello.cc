// Hello from C++: libc++ streams and containers (built with -fno-exceptions).
#include <iostream>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, int> lengths;
  for (const auto& a : args) lengths[a] = static_cast<int>(a.size());
  std::cout << "hello from C++";
  for (const auto& [word, n] : lengths) std::cout << ' ' << word << '=' << n;
  std::cout << std::endl;
  return 0;
}
