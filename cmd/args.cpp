#include "cmd/command.hpp"
#include "runtime/base/log.hpp"

namespace vigil::cmd {

po::variables_map parse(const Args& args, const po::options_description& options,
                        const std::vector<std::string>& positionals, bool rest) {
  po::options_description all;
  all.add(options);
  po::positional_options_description pos;
  for (size_t i = 0; i < positionals.size(); i++) {
    bool last = i + 1 == positionals.size();
    const po::value_semantic* kind = last && rest ? static_cast<const po::value_semantic*>(po::value<Args>())
                                                  : po::value<std::string>();
    all.add_options()(positionals[i].c_str(), kind);
    pos.add(positionals[i].c_str(), last && rest ? -1 : 1);
  }
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

std::string required(const po::variables_map& vm, const std::string& name) {
  if (!vm.count(name)) throw po::error("missing " + name);
  return vm[name].as<std::string>();
}

int fail(const std::string& message) {
  log_fatal(message);
  return 1;
}

}  // namespace vigil::cmd
