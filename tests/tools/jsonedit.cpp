// Test tool: edits a JSON file in place by JSON pointer, so tests can tweak a base config.json.
//   jsonedit FILE set /process/args '["sh","-c","true"]'
//   jsonedit FILE append /mounts '{"destination":"/x","type":"tmpfs","source":"tmpfs"}'
//   jsonedit FILE del /linux/namespaces/0
//   jsonedit FILE get /process/args/0
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  using nlohmann::json;
  if (argc < 4) {
    std::cerr << "usage: jsonedit FILE set|append|del|get POINTER [JSON]\n";
    return 2;
  }
  std::string file = argv[1], op = argv[2];
  try {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    json doc = json::parse(text.str());
    json::json_pointer ptr(argv[3]);
    if (op == "get") {
      const json& v = doc.at(ptr);
      std::cout << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
      return 0;
    }
    if (op == "del") {
      json& parent = doc.at(ptr.parent_pointer());
      if (parent.is_array()) parent.erase(std::stoul(ptr.back()));
      else parent.erase(ptr.back());
    } else if ((op == "set" || op == "append") && argc == 5) {
      json value = json::parse(argv[4]);
      if (op == "set") doc[ptr] = value;
      else doc[ptr].push_back(value);
    } else {
      std::cerr << "jsonedit: bad operation\n";
      return 2;
    }
    std::ofstream(file) << doc.dump(2) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "jsonedit: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
