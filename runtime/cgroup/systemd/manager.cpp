#include "runtime/cgroup/systemd/manager.hpp"

#include <dbus/dbus.h>

#include <chrono>

namespace vigil::cgroup::systemd {
namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
constexpr int kCallMs = 30000;  // runc's bound on a systemd job, too
constexpr auto kJobTimeout = std::chrono::seconds(30);

struct MessageFree {
  void operator()(DBusMessage* m) const { dbus_message_unref(m); }
};
using Message = std::unique_ptr<DBusMessage, MessageFree>;

// libdbus reports failures in a DBusError; this one frees itself.
struct BusError {
  DBusError e;
  BusError() { dbus_error_init(&e); }
  ~BusError() { dbus_error_free(&e); }
  bool set() const { return dbus_error_is_set(&e); }
  std::string name() const { return e.name ? e.name : ""; }
  Error error(const std::string& what) const {
    int code = name() == DBUS_ERROR_NO_MEMORY ? ENOMEM : name() == DBUS_ERROR_FILE_NOT_FOUND ? ENOENT
                                                          : name() == DBUS_ERROR_NO_SERVER ? ECONNREFUSED
                                                                                           : EIO;
    return Error(code, what + ": " + (e.message ? e.message : name()));
  }
};

Message method(const char* name) { return Message(dbus_message_new_method_call(kService, kPath, kManager, name)); }

void append_string(DBusMessageIter* it, const std::string& s) {
  const char* p = s.c_str();
  dbus_message_iter_append_basic(it, DBUS_TYPE_STRING, &p);
}

const char* signature_of(const Value& v) {
  switch (v.index()) {
    case 0: return "b";
    case 1: return "t";
    case 2: return "s";
    case 3: return "au";
    default: return "ay";
  }
}

void append_value(DBusMessageIter* it, const Value& v) {
  DBusMessageIter var, arr;
  dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, signature_of(v), &var);
  if (auto* b = std::get_if<bool>(&v)) {
    dbus_bool_t x = *b;
    dbus_message_iter_append_basic(&var, DBUS_TYPE_BOOLEAN, &x);
  } else if (auto* t = std::get_if<uint64_t>(&v)) {
    dbus_uint64_t x = *t;
    dbus_message_iter_append_basic(&var, DBUS_TYPE_UINT64, &x);
  } else if (auto* s = std::get_if<std::string>(&v)) {
    append_string(&var, *s);
  } else if (auto* au = std::get_if<std::vector<uint32_t>>(&v)) {
    dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "u", &arr);
    for (uint32_t x : *au) dbus_message_iter_append_basic(&arr, DBUS_TYPE_UINT32, &x);
    dbus_message_iter_close_container(&var, &arr);
  } else {
    const auto& ay = std::get<std::vector<uint8_t>>(v);
    dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "y", &arr);
    const uint8_t* data = ay.data();
    dbus_message_iter_append_fixed_array(&arr, DBUS_TYPE_BYTE, &data, int(ay.size()));
    dbus_message_iter_close_container(&var, &arr);
  }
  dbus_message_iter_close_container(it, &var);
}

// a(sv)
void append_properties(DBusMessageIter* it, const std::vector<Property>& props) {
  DBusMessageIter arr, st;
  dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "(sv)", &arr);
  for (const auto& p : props) {
    dbus_message_iter_open_container(&arr, DBUS_TYPE_STRUCT, nullptr, &st);
    append_string(&st, p.name);
    append_value(&st, p.value);
    dbus_message_iter_close_container(&arr, &st);
  }
  dbus_message_iter_close_container(it, &arr);
}

Result<Message> call(DBusConnection* c, Message m, const std::string& what) {
  if (!m) return Error(ENOMEM, what);
  BusError err;
  Message reply(dbus_connection_send_with_reply_and_block(c, m.get(), kCallMs, &err.e));
  if (!reply) return err.error(what);
  return reply;
}

// The object path a job-making call answered with.
Result<std::string> job_of(const Message& reply, const std::string& what) {
  const char* job = nullptr;
  BusError err;
  if (!dbus_message_get_args(reply.get(), &err.e, DBUS_TYPE_OBJECT_PATH, &job, DBUS_TYPE_INVALID))
    return err.error(what + ": its reply");
  return std::string(job);
}

// Waits for JobRemoved of `job`: its result must be "done". The signal may have come while
// the call that made the job was waiting for its reply: libdbus keeps it queued.
Status wait_job(DBusConnection* c, const std::string& job, const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + kJobTimeout;
  for (;;) {
    while (Message m{dbus_connection_pop_message(c)}) {
      if (!dbus_message_is_signal(m.get(), kManager, "JobRemoved")) continue;
      dbus_uint32_t id = 0;
      const char *path = nullptr, *unit = nullptr, *result = nullptr;
      BusError err;
      if (!dbus_message_get_args(m.get(), &err.e, DBUS_TYPE_UINT32, &id, DBUS_TYPE_OBJECT_PATH, &path, DBUS_TYPE_STRING,
                                 &unit, DBUS_TYPE_STRING, &result, DBUS_TYPE_INVALID))
        continue;
      if (job != path) continue;
      if (std::string(result) == "done") return {};
      return Error(EIO, what + ": systemd's job ended \"" + result + "\"");
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return Error(ETIMEDOUT, what + ": systemd's job did not end within 30 s");
    if (!dbus_connection_read_write(c, int(left))) return Error(ECONNRESET, what + ": the system bus went away");
  }
}

}  // namespace

Result<Manager> Manager::connect() {
  BusError err;
  DBusConnection* c = dbus_bus_get_private(DBUS_BUS_SYSTEM, &err.e);
  if (!c) return err.error("connect to systemd over the system bus");
  dbus_connection_set_exit_on_disconnect(c, FALSE);
  Manager m(c);
  // JobRemoved comes to subscribers that match it.
  dbus_bus_add_match(c, "type='signal',sender='org.freedesktop.systemd1',interface='org.freedesktop.systemd1.Manager',"
                        "member='JobRemoved',path='/org/freedesktop/systemd1'", &err.e);
  if (err.set()) return err.error("systemd: watch JobRemoved");
  TRY(call(c, method("Subscribe"), "systemd: Subscribe"));
  return m;
}

Manager::Manager(Manager&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
Manager& Manager::operator=(Manager&& o) noexcept {
  std::swap(c_, o.c_);
  return *this;
}
Manager::~Manager() {
  if (!c_) return;
  dbus_connection_close(c_);
  dbus_connection_unref(c_);
}

Status Manager::start_scope(const UnitName& u, pid_t pid, const std::vector<Property>& resources) {
  const std::string what = "systemd: start " + u.unit + " in " + u.slice;
  std::vector<Property> props = {{"Description", "vigil container " + u.unit},
                                 {"Slice", u.slice},
                                 {"Delegate", true},
                                 {"PIDs", std::vector<uint32_t>{uint32_t(pid)}},
                                 // Stopped only when we say so, not at shutdown ordering's whim.
                                 {"DefaultDependencies", false},
                                 {"MemoryAccounting", true},
                                 {"CPUAccounting", true},
                                 {"TasksAccounting", true},
                                 {"IOAccounting", true}};
  props.insert(props.end(), resources.begin(), resources.end());
  Message m = method("StartTransientUnit");
  if (!m) return Error(ENOMEM, what);
  DBusMessageIter it, aux;
  dbus_message_iter_init_append(m.get(), &it);
  append_string(&it, u.unit);
  append_string(&it, "fail");  // a unit of that name already there is an error, not replaced
  append_properties(&it, props);
  dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "(sa(sv))", &aux);
  dbus_message_iter_close_container(&it, &aux);
  auto reply = TRY(call(c_, std::move(m), what));
  return wait_job(c_, TRY(job_of(reply, what)), what);
}

Status Manager::set_properties(const std::string& unit, const std::vector<Property>& props) {
  if (props.empty()) return {};
  Message m = method("SetUnitProperties");
  if (!m) return Error(ENOMEM, "systemd: set properties of " + unit);
  DBusMessageIter it;
  dbus_message_iter_init_append(m.get(), &it);
  append_string(&it, unit);
  dbus_bool_t runtime = TRUE;
  dbus_message_iter_append_basic(&it, DBUS_TYPE_BOOLEAN, &runtime);
  append_properties(&it, props);
  TRY(call(c_, std::move(m), "systemd: set properties of " + unit));
  return {};
}

Status Manager::stop(const std::string& unit) {
  const std::string what = "systemd: stop " + unit;
  for (const char* verb : {"StopUnit", "ResetFailedUnit"}) {
    Message m = method(verb);
    if (!m) return Error(ENOMEM, what);
    DBusMessageIter it;
    dbus_message_iter_init_append(m.get(), &it);
    append_string(&it, unit);
    if (std::string(verb) == "StopUnit") append_string(&it, "replace");
    BusError err;
    Message reply(dbus_connection_send_with_reply_and_block(c_, m.get(), kCallMs, &err.e));
    // Gone already (a scope ends when its last process does), or never failed: nothing to do.
    if (!reply && (err.name() == "org.freedesktop.systemd1.NoSuchUnit" || err.name() == "org.freedesktop.DBus.Error.UnknownObject" ||
                   std::string(verb) == "ResetFailedUnit"))
      continue;
    if (!reply) return err.error(what);
    if (std::string(verb) == "StopUnit") TRY(wait_job(c_, TRY(job_of(reply, what)), what));
  }
  return {};
}

}  // namespace vigil::cgroup::systemd

// libdbus-1.a refers to these two from its server's code that takes sockets from systemd
// (_dbus_listen_systemd_sockets), which a client never runs; libsystemd has no static
// library in Debian. Never called: a client has no systemd sockets to be given.
extern "C" int sd_listen_fds(int) { return 0; }
extern "C" int sd_is_socket(int, int, int, int) { return 0; }
