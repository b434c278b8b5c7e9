#include <cstdio>

#include "runtime/container/container.hpp"

namespace vigil {
namespace {

// Printable ASCII as it is, but for the backslash and the quote; any other byte as \xNN.
// Quoted when empty or holding a space.
std::string escaped(const std::string& s) {
  std::string out;
  bool space = s.empty();
  for (unsigned char c : s) {
    if (c == ' ') space = true;
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out += char(c);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return space ? "\"" + out + "\"" : out;
}

std::string text_of(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

uint64_t number_at(const nlohmann::json& j, const nlohmann::json::json_pointer& p) {
  return j.contains(p) && j.at(p).is_number_unsigned() ? j.at(p).get<uint64_t>() : 0;
}

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

}  // namespace

std::string event_text(const nlohmann::json& e, const std::string& now) {
  const std::string type = text_of(e, "type");
  const nlohmann::json data = e.value("data", nlohmann::json::object());
  if (type == "audit") {
    std::string line = escaped(text_of(data, "time")) + " pid " + escaped(text_of(data, "pid")) + " " +
                       escaped(text_of(data, "action")) + " " + escaped(text_of(data, "syscall")) + " " +
                       escaped(text_of(data, "subject")) + " " + escaped(text_of(data, "rule"));
    std::string detail = text_of(data, "detail");
    return detail.empty() ? line : line + " (" + escaped(detail) + ")";
  }
  if (type == "stats") {
    using P = nlohmann::json::json_pointer;
    return now + " stats cpu " + fixed(double(number_at(data, P("/cpu/usage/total"))) / 1e9, 2) + " s, memory " +
           fixed(double(number_at(data, P("/memory/usage/usage"))) / (1 << 20), 1) + " MiB, pids " +
           std::to_string(number_at(data, P("/pids/current")));
  }
  if (type == "oom") return now + " oom: a process of the container was killed for want of memory";
  if (type == "exit") return now + " exit: the container's init has exited";
  return now + " " + escaped(type);
}

}  // namespace vigil
