// Runs a check on a thread of its own, as the supervisor's workers run each lookup.
#pragma once

#include <thread>

namespace vigil::internal {

template <class F>
void on_thread(F f) {
  std::thread(f).join();
}

}  // namespace vigil::internal
