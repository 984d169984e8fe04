// Where the unit tests find the shared, read-only test data.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace qauth::test {

/// Path of `rel` under ../shared/testdata (or $SHARED/testdata).
inline std::string testdata(const std::string& rel) {
    const char* shared = std::getenv("SHARED");
    return std::string(shared && *shared ? shared : "../shared") + "/testdata/" + rel;
}

/// Whole contents of a file ("" when missing, which the tests then detect).
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace qauth::test
