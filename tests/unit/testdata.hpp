// Where the unit tests find the shared, read-only test data, and how they
// read a message from a string.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "mail/reader.hpp"

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

/// A message read through mail::Reader: its header and its whole body.
struct Parsed {
    mail::Header header;
    std::string body;
};

/// Reads `input` as a message, through a temporary file, with the reader's
/// header limit `max_header`.
inline Parsed read_message(const std::string& input, std::size_t max_header = mail::kMaxHeaderBytes) {
    std::FILE* f = std::tmpfile();
    std::fwrite(input.data(), 1, input.size(), f);
    std::fflush(f);
    std::rewind(f);
    mail::Reader r(fileno(f), max_header);
    Parsed p;
    p.header = *r.read_header();
    (void)r.read_body([&](std::string_view c) -> Result<void> {
        p.body += c;
        return {};
    });
    std::fclose(f);
    return p;
}

}  // namespace qauth::test
