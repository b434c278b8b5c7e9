#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "runtime/base/unix_socket.hpp"
#include "runtime/terminal/console_socket.hpp"
#include "runtime/terminal/pty.hpp"
#include "tests/unit/temp_dir.hpp"

namespace vigil {
namespace {

TEST(Terminal, OptionsFollowRuncRules) {
  EXPECT_TRUE(check_terminal_options(false, true, "").ok());
  EXPECT_TRUE(check_terminal_options(true, true, "/s").ok());
  EXPECT_TRUE(check_terminal_options(true, false, "").ok());  // vigil proxies it
  EXPECT_TRUE(check_terminal_options(false, false, "").ok());
  EXPECT_EQ(check_terminal_options(true, true, "").error().what(),
            "process.terminal is true, but a detached process's terminal needs --console-socket");
  EXPECT_EQ(check_terminal_options(false, true, "/s").error().what(),
            "--console-socket needs a terminal (process.terminal or --tty)");
  EXPECT_EQ(check_terminal_options(true, false, "/s").error().what(),
            "--console-socket is only for a detached process (create, run -d, exec -d)");
}

TEST(Terminal, ConsoleSocketAtALongPathCarriesTheMasterAndItsName) {
  internal::TempDir tmp;
  std::string dir = tmp.path() + "/" + std::string(120, 'd');
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  auto srv = listen_unix(dir + "/console.sock");
  ASSERT_TRUE(srv.ok()) << srv.error().str();
  struct stat st;
  ASSERT_EQ(::stat((dir + "/console.sock").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto conn = connect_unix(dir + "/console.sock");
  ASSERT_TRUE(conn.ok()) << conn.error().str();
  unique_fd peer(::accept4(srv->get(), nullptr, nullptr, SOCK_CLOEXEC));
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  unique_fd r(p[0]), w(p[1]);
  ASSERT_TRUE(send_console(conn->get(), w.get()).ok());
  // What conmon sees: the name as data, the fd as SCM_RIGHTS.
  char name[64] = {};
  std::vector<unique_fd> fds;
  auto n = recv_with_fds(peer.get(), name, sizeof name, fds);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(name, *n), "/dev/ptmx");
  ASSERT_EQ(fds.size(), 1u);
  ASSERT_EQ(::write(fds[0].get(), "x", 1), 1);
  char c;
  ASSERT_EQ(::read(r.get(), &c, 1), 1);
}

TEST(Terminal, ReceiveConsoleWantsExactlyOneFd) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  unique_fd a(sv[0]), b(sv[1]);
  ASSERT_EQ(::write(a.get(), "/dev/ptmx", 9), 9);
  auto m = receive_console(b.get());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().what(), "receive the container's terminal: expected one fd, got 0");
}

TEST(Terminal, ConnectToAMissingSocketNamesIt) {
  auto r = connect_unix("/nonexistent/dir/sock");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ENOENT);
  EXPECT_NE(r.error().what().find("/nonexistent/dir/sock"), std::string::npos);
}

TEST(Terminal, OpenPtyRefusesAPtmxThatIsNotOne) {
  internal::TempDir tmp;
  ASSERT_EQ(::mkdir((tmp.path() + "/dev").c_str(), 0755), 0);
  // An image that put a plain file where /dev/ptmx goes.
  unique_fd f(::open((tmp.path() + "/dev/ptmx").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666));
  unique_fd root(::open(tmp.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  auto pty = open_pty(root.get(), std::nullopt);
  ASSERT_FALSE(pty.ok());
  EXPECT_EQ(pty.error().code(), ENOTTY);
}

TEST(Terminal, OpenPtyGivesAConnectedPairOfTheGivenSize) {
  unique_fd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  auto pty = open_pty(root.get(), oci::ConsoleSize{25, 90});
  ASSERT_TRUE(pty.ok()) << pty.error().str();
  winsize ws{};
  ASSERT_EQ(::ioctl(pty->slave.get(), TIOCGWINSZ, &ws), 0);
  EXPECT_EQ(ws.ws_row, 25);
  EXPECT_EQ(ws.ws_col, 90);
  ASSERT_EQ(::write(pty->slave.get(), "hi\n", 3), 3);
  char buf[16];
  EXPECT_GT(::read(pty->master.get(), buf, sizeof buf), 0);
}

}  // namespace
}  // namespace vigil
