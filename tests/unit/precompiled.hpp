// The unit tests' precompiled header (see runtime/base/precompiled.hpp): the library's, and
// GoogleTest, which every test file includes.
#include "runtime/base/precompiled.hpp"

#include <gtest/gtest.h>
