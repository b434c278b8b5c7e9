#include <fcntl.h>
#include <unistd.h>

#include "cmd/command.hpp"
#include "oci/default_spec.hpp"
#include "runtime/base/file.hpp"

namespace vigil::cmd {

int spec(const GlobalOptions&, const Args& args) {
  po::options_description flags;
  flags.add_options()("bundle,b", po::value<std::string>()->default_value("."))("rootless", po::bool_switch());
  auto vm = parse(args, flags, {});
  std::string path = vm["bundle"].as<std::string>() + "/config.json";
  if (::access(path.c_str(), F_OK) == 0) return fail("spec: " + path + " exists; remove it first");
  auto fd = open_fd(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (!fd) return fail("spec: " + fd.error().str());
  auto st = write_all(fd->get(), oci::default_spec(vm["rootless"].as<bool>()).dump(2) + "\n", "write " + path);
  return st ? 0 : fail("spec: " + st.error().str());
}

}  // namespace vigil::cmd
