// Test tool: the receiving end of --console-socket, as conmon and the containerd shim are.
// Listens on SOCKET (of any length), prints "listening", takes one connection, receives the
// pty master, writes the name that came with it to OUT.name, types INPUT into the terminal,
// and copies everything the container writes to OUT until no process holds the terminal.
//   console_receiver SOCKET OUT [INPUT]
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "tests/tools/receive_fd.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: console_receiver SOCKET OUT [INPUT]\n");
    return 2;
  }
  std::string name;
  int master = receive_fd(argv[1], name);
  if (master < 0) return 1;
  std::ofstream(std::string(argv[2]) + ".name") << name << "\n";
  if (argc > 3 && write(master, argv[3], strlen(argv[3])) < 0) perror("write input");
  FILE* out = fopen(argv[2], "w");
  char buf[4096];
  ssize_t n;
  // EIO once the last holder of the slave has closed it.
  while ((n = read(master, buf, sizeof buf)) > 0) {
    fwrite(buf, 1, size_t(n), out);
    fflush(out);
  }
  fclose(out);
  return 0;
}
